// `npm run mock`: serves the bundled specs with Prism in static mode (answers are the spec's named examples).
//
//   npm run mock                                   starmile-partner on 127.0.0.1:${PORT:-4010}
//   npm run mock -- --port 5000                    another port
//   npm run mock -- --api starship-rewards         that API instead (repeat --api for several;
//   npm run mock -- --api starmile-partner --api starship-rewards   each further API on the next port)
//   npm run mock -- --host 0.0.0.0                 listen beyond this machine (default 127.0.0.1)
//
// Prism is stateless: it checks that a bearer token is present, not which scopes it holds, and it
// cannot hold uniqueness, 409s or cursors. Force a documented error with `Prefer: code=<status>`
// and pick a named example with `Prefer: example=<ExampleName>`. Without `Prefer`, each operation
// answers its ordinary success (a small proxy in front of Prism sees to it: lib/mock-defaults.mjs).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bundledSpecPath, loadSpec } from '../contract/specs.mjs';
import { parseCommandLine, usageError } from '../sandbox/src/cli.mjs';
import { listApis, repoRoot } from './lib/apis.mjs';
import { defaultCodes, startDefaultsProxy } from './lib/mock-defaults.mjs';

const known = listApis().map((a) => a.name);
const HELP = `Usage: npm run mock -- [options]

Serves the bundled specs with Prism in static mode: answers are the spec's named examples.

  --api NAME     the API to serve (default starmile-partner); repeat it for several, each on the
                 next port. APIs: ${known.join(', ')}
  --port N       the (first) port: default $PORT, else 4010; 0 picks a free port
  --host ADDR    the address to listen on (default 127.0.0.1)
  -h, --help     this text

Force a documented error with the header "Prefer: code=422"; pick a named example with
"Prefer: example=<ExampleName>". Exit status 2 on a usage error.`;

const values = parseCommandLine('mock', HELP, () =>
  parseArgs({
    options: {
      api: { type: 'string', multiple: true },
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      help: { type: 'boolean', short: 'h' },
    },
  }),
);

const names = values.api?.length ? values.api : ['starmile-partner'];
const portText = values.port ?? process.env.PORT ?? '4010';
const basePort = Number(portText);
if (!/^\d+$/.test(portText) || basePort > 65535)
  usageError('mock', `invalid port ${JSON.stringify(portText)} (0 to 65535)`);
for (const name of names) {
  if (!known.includes(name)) usageError('mock', `unknown API "${name}" (known: ${known.join(', ')})`);
  if (!existsSync(bundledSpecPath(name))) {
    console.error(`mock: generated/${name}/openapi.json is missing; run npm run build first`);
    process.exit(2);
  }
}

const prism = join(repoRoot, 'node_modules', '.bin', 'prism');
/**
 * The proxies in front of each Prism (scripts/lib/mock-defaults.mjs): they give a request without Prefer the ordinary
 * answer.
 */
const proxies = [];
const children = names.map((name, i) => {
  // Prism listens on a free loopback port; the proxy takes the port asked for (0 lets the OS pick; the tests rely on
  // it).
  const port = basePort === 0 ? 0 : basePort + i;
  const spec = loadSpec(name);
  const child = spawn(prism, ['mock', bundledSpecPath(name), '--host', '127.0.0.1', '-p', '0'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout.setEncoding('utf8');
  // Prism's lines name its own loopback port; they are held until the proxy listens and then name the proxy's.
  let held = [];
  let origin = null;
  const print = (line) => console.log(`[${name}] ${origin ? line.replaceAll(origin.prism, origin.proxy) : line}`);
  child.stdout.on('data', async (chunk) => {
    for (const line of chunk.split('\n').filter(Boolean)) {
      const listening = line.match(/Prism is listening on (\S+)/);
      if (!listening) {
        if (origin) print(line);
        else held.push(line);
        continue;
      }
      const proxy = await startDefaultsProxy({
        upstream: listening[1],
        host: values.host,
        port,
        rules: defaultCodes(spec),
      }).catch((error) => {
        console.error(`mock: cannot listen on ${values.host}:${port} for ${name}: ${error.message}`);
        stop(1);
      });
      if (!proxy) return;
      proxies.push(proxy);
      const address = proxy.address();
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      origin = { prism: listening[1].replace(/\/$/, ''), proxy: `http://${host}:${address.port}` };
      held.forEach(print);
      held = [];
      // The "listening" line is what scripts and the tests wait for; tagged with the API name.
      console.log(`mock ${name} listening on ${origin.proxy}`);
    }
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`mock: prism for ${name} exited (${signal ?? code})`);
      stop(code || 1);
    }
  });
  return child;
});

let stopping = false;
function stop(code) {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  for (const proxy of proxies) proxy.close();
  process.exitCode = code;
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(0));
