// `npm run sandbox`: starts the sandbox (--port / PORT, --token-ttl / SANDBOX_TOKEN_TTL) and prints what a user needs to call it.
import { parseArgs } from 'node:util';
import { banner } from './banner.ts';
import { DEFAULT_PORT, DEFAULT_TOKEN_TTL_SECONDS, loadFixtures, startSandbox } from './server.ts';

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
  options: { port: { type: 'string' }, 'token-ttl': { type: 'string' }, host: { type: 'string' } },
  allowPositionals: false,
});
const port = positiveInt('--port', values.port ?? process.env.PORT, DEFAULT_PORT, 0);
const ttl = positiveInt('--token-ttl', values['token-ttl'] ?? process.env.SANDBOX_TOKEN_TTL, DEFAULT_TOKEN_TTL_SECONDS);
const fixtures = loadFixtures();
const sandbox = await startSandbox({ port, tokenTtlSeconds: ttl, fixtures, host: values.host ?? process.env.HOST ?? '127.0.0.1' }).catch((error: NodeJS.ErrnoException) => {
  if (error.code !== 'EADDRINUSE') throw error;
  console.error(`sandbox: port ${port} is in use; start it on another with --port <n> or PORT=<n>`);
  process.exit(1);
});
console.log(banner(sandbox.url, ttl, fixtures));
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
