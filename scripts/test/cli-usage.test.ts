// `npm run sandbox` and `npm run mock` answer --help, and a mistyped command line with one line naming the problem and
// exit status 2, never a Node stack trace.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../lib/apis.mjs';

const tsx = createRequire(import.meta.url).resolve('tsx');
/** How each npm script starts (package.json), without npm in between so the exit status is the script's own. */
const COMMANDS = {
  sandbox: ['--import', tsx, 'sandbox/src/main.ts'],
  mock: ['scripts/mock.mjs'],
} as const;

function run(
  command: keyof typeof COMMANDS,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // No PORT/HOST from the caller's environment: the cases below are about the command line alone.
    const { PORT: _port, HOST: _host, SANDBOX_TOKEN_TTL: _ttl, STARSHIP_WEBHOOK_URL: _hook, ...env } = process.env;
    const child = spawn(process.execPath, [...COMMANDS[command], ...args], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** [command, arguments, the one line it prints on stderr] */
const USAGE_ERRORS: [keyof typeof COMMANDS, string[], string][] = [
  ['sandbox', ['--prot', '1'], 'sandbox: unknown option --prot (npm run sandbox -- --help)'],
  [
    'sandbox',
    ['--port', '70000'],
    'sandbox: --port must be an integer from 0 to 65535, got "70000" (npm run sandbox -- --help)',
  ],
  [
    'sandbox',
    ['--token-ttl', 'soon'],
    'sandbox: --token-ttl must be an integer from 1 to 65535000000, got "soon" (npm run sandbox -- --help)',
  ],
  ['mock', ['--prot', '1'], 'mock: unknown option --prot (npm run mock -- --help)'],
  ['mock', ['starship-rewards'], 'mock: unexpected argument "starship-rewards" (npm run mock -- --help)'],
  ['mock', ['--port'], "mock: option '--port <value>' argument missing (npm run mock -- --help)"],
  ['mock', ['--port', '1.5'], 'mock: invalid port "1.5" (0 to 65535) (npm run mock -- --help)'],
  [
    'mock',
    ['--api', 'nope'],
    'mock: unknown API "nope" (known: starmile-partner, sandbox-admin, starship-rewards) (npm run mock -- --help)',
  ],
];

describe.concurrent('a usage error is one line on stderr and exit status 2', () => {
  test.each(USAGE_ERRORS)('npm run %s -- %j', async (command, args, line) => {
    const result = await run(command, args);
    expect(result.stderr).toBe(`${line}\n`);
    expect(result.stdout).toBe('');
    expect(result.code).toBe(2);
  });
});

describe.concurrent('--help prints the usage, every option, and exits 0', () => {
  /** The options each command's parseArgs accepts, as its help must list them. */
  const OPTIONS = {
    sandbox: ['--port', '--host', '--token-ttl', '--starship-webhook-url', '--help'],
    mock: ['--api', '--port', '--host', '--help'],
  };
  test.each([
    ['sandbox', '--help'],
    ['mock', '-h'],
  ] as const)('npm run %s -- %s', async (command, flag) => {
    const result = await run(command, [flag]);
    expect(result.stdout).toMatch(new RegExp(`^Usage: npm run ${command} -- \\[options\\]\\n`));
    for (const option of OPTIONS[command]) expect(result.stdout).toContain(`${option} `);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});
