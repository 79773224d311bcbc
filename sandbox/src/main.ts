// `npm run sandbox`: starts the sandbox (--port / PORT, --token-ttl / SANDBOX_TOKEN_TTL, --starship-webhook-url / STARSHIP_WEBHOOK_URL) and prints what a user needs to call it.
import { parseArgs } from 'node:util';
import { banner } from './banner.ts';
import { DEFAULT_PORT, DEFAULT_TOKEN_TTL_SECONDS, loadFixtures, startSandbox } from './server.ts';
import { checkWebhookUrl } from './starship/state.ts';

function positiveInt(name: string, text: string | undefined, fallback: number, min = 1): number {
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > 65535 * 1_000_000) {
    console.error(`sandbox: ${name} must be an integer >= ${min}, got ${JSON.stringify(text)}`);
    process.exit(2);
  }
  return n;
}

const { values } = parseArgs({
  options: { port: { type: 'string' }, 'token-ttl': { type: 'string' }, host: { type: 'string' }, 'starship-webhook-url': { type: 'string' } },
  allowPositionals: false,
});
const port = positiveInt('--port', values.port ?? process.env.PORT, DEFAULT_PORT, 0);
const ttl = positiveInt('--token-ttl', values['token-ttl'] ?? process.env.SANDBOX_TOKEN_TTL, DEFAULT_TOKEN_TTL_SECONDS);
const webhookUrl = values['starship-webhook-url'] ?? (process.env.STARSHIP_WEBHOOK_URL || undefined);
try {
  if (webhookUrl !== undefined) checkWebhookUrl(webhookUrl, values['starship-webhook-url'] === undefined ? 'STARSHIP_WEBHOOK_URL' : '--starship-webhook-url');
} catch (error) {
  console.error(`sandbox: ${(error as Error).message}`);
  process.exit(2);
}
const fixtures = loadFixtures();
const sandbox = await startSandbox({
  port,
  tokenTtlSeconds: ttl,
  fixtures,
  host: values.host ?? process.env.HOST ?? '127.0.0.1',
  ...(webhookUrl === undefined ? {} : { starshipWebhookUrl: webhookUrl }),
}).catch((error: NodeJS.ErrnoException) => {
  if (error.code !== 'EADDRINUSE') throw error;
  console.error(`sandbox: port ${port} is in use; start it on another with --port <n> or PORT=<n>`);
  process.exit(1);
});
console.log(banner(sandbox.url, ttl, fixtures, webhookUrl ?? null));
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
