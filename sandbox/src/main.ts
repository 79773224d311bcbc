// `npm run sandbox`: starts the sandbox (--port / PORT, --token-ttl / SANDBOX_TOKEN_TTL, --starship-webhook-url /
// STARSHIP_WEBHOOK_URL) and prints what a user needs to call it.
import { parseArgs } from 'node:util';
import { banner } from './banner.ts';
import { parseCommandLine, usageError } from './cli.mjs';
import { DEFAULT_PORT, DEFAULT_TOKEN_TTL_SECONDS, loadFixtures, startSandbox } from './server.ts';
import { checkWebhookUrl } from './starship/state.ts';

const HELP = `Usage: npm run sandbox -- [options]

Starts the in-memory Starmile sandbox (and Starship Rewards under /starship/v1) and prints every
credential, service, region pair and operator endpoint. State is lost on restart.

  --port N                    the port: default $PORT, else ${DEFAULT_PORT}; 0 picks a free port
  --host ADDR                 the address to listen on: default $HOST, else 127.0.0.1
  --token-ttl SECONDS         access token lifetime: default $SANDBOX_TOKEN_TTL, else ${DEFAULT_TOKEN_TTL_SECONDS}
  --starship-webhook-url URL  where Starship webhooks go: default $STARSHIP_WEBHOOK_URL, else nowhere
  -h, --help                  this text

Exit status 2 on a usage error.`;

function integerIn(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    usageError('sandbox', `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return n;
}

const values = parseCommandLine('sandbox', HELP, () =>
  parseArgs({
    options: {
      port: { type: 'string' },
      'token-ttl': { type: 'string' },
      host: { type: 'string' },
      'starship-webhook-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
  }),
);
const port = integerIn('--port', values.port ?? process.env.PORT, DEFAULT_PORT, 0, 65535);
const ttl = integerIn(
  '--token-ttl',
  values['token-ttl'] ?? process.env.SANDBOX_TOKEN_TTL,
  DEFAULT_TOKEN_TTL_SECONDS,
  1,
  65535 * 1_000_000,
);
const webhookUrl = values['starship-webhook-url'] ?? (process.env.STARSHIP_WEBHOOK_URL || undefined);
try {
  if (webhookUrl !== undefined)
    checkWebhookUrl(
      webhookUrl,
      values['starship-webhook-url'] === undefined ? 'STARSHIP_WEBHOOK_URL' : '--starship-webhook-url',
    );
} catch (error) {
  usageError('sandbox', (error as Error).message);
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
