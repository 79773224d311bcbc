// The command line end to end: listing with filters, usage errors, the preflight, the deciding class, and a stale
// baseline entry failing the run.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startSandbox } from '../../sandbox/src/server.ts';
import { sandboxProfile } from './support/sandbox-profile.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
/**
 * Runs the CLI as `npm run conformance` does (the built bundle), without blocking this process, whose event loop serves
 * the sandbox the CLI talks to.
 */
const cli = (...args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['conformance/scripts/conformance.mjs', ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });

/** A fresh folder holding a file of that JSON; returns the folder and the file. */
const tempJson = (name: string, value: unknown) => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-'));
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return { dir, file };
};

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => {
  await sandbox?.close();
});

test('--list with filters by tag, operation and id glob', async () => {
  const run = await cli('--list', '--filter', 'op:cancelOrder', '--filter', 'UNIQ-*-WITHIN');
  expect(run.status).toBe(0);
  const ids = run.stdout
    .trim()
    .split('\n')
    .map((l) => l.split(/\s+/)[0]);
  expect(ids).toContain('CAN-IDEMPOTENT');
  expect(ids).toContain('UNIQ-ITEM-ID-WITHIN');
  expect(ids).not.toContain('ORD-CREATE');
});

test('a filter matching nothing is a usage error (exit 2)', async () => {
  const run = await cli('--filter', 'NO-SUCH-RULE', '--no-report');
  expect(run.status).toBe(2);
  expect(run.stderr).toContain('no rule matches the filter "NO-SUCH-RULE"');
});

test('against a running sandbox by URL: a passing rule listed in the baseline is stale and fails the run', async () => {
  const { dir, file: baseline } = tempJson('baseline.json', {
    entries: [{ rule: 'ORD-CREATE', reason: 'was broken once' }],
  });
  const run = await cli(
    '--base-url',
    sandbox.url,
    '--filter',
    'ORD-CREATE',
    '--baseline',
    baseline,
    '--report-dir',
    dir,
  );
  expect(run.stdout).toContain('Stale baseline entries (these rules pass now; remove them): ORD-CREATE');
  expect(run.status).toBe(1);
  const ok = await cli('--base-url', sandbox.url, '--filter', 'ORD-CREATE', '--no-report');
  expect(ok.stdout).not.toMatch(/ORD-CREATE\s+MUST/);
  expect(ok.stdout).toContain('1 other rule: --verbose lists it, one line each.');
  expect(ok.status).toBe(0);
  const verbose = await cli('--base-url', sandbox.url, '--filter', 'ORD-CREATE', '--no-report', '--verbose');
  expect(verbose.stdout).toMatch(/ORD-CREATE\s+MUST\s+pass\s+pass/);
});

test('preflight: an unreachable server is one clear line and exit 2, before any rule runs', async () => {
  const closed = createServer();
  const port = await new Promise<number>((r) =>
    closed.listen(0, '127.0.0.1', () => r((closed.address() as AddressInfo).port)),
  );
  await new Promise((r) => closed.close(r));
  const run = await cli('--base-url', `http://127.0.0.1:${port}`, '--profile', 'fixtures', '--no-report');
  expect(run.status).toBe(2);
  expect(run.stderr).toBe(`conformance: cannot reach http://127.0.0.1:${port}: ECONNREFUSED\n`);
  expect(run.stdout).toBe('');
});

test('preflight: a credential that gets no token is named, exit 2', async () => {
  const profile = sandboxProfile(sandbox.url);
  profile.credentials.otherPartner.clientSecret = 'not-the-secret';
  const { file } = tempJson('profile.json', profile);
  const run = await cli('--profile', file, '--no-report');
  expect(run.status).toBe(2);
  expect(run.stderr).toContain('credentials.otherPartner (sm_other_full) gets no token');
});

test('a baseline entry naming no rule is a usage error before the run', async () => {
  const { file: baseline } = tempJson('baseline.json', { entries: [{ rule: 'ORD-CRATE', reason: 'typo' }] });
  const run = await cli('--base-url', sandbox.url, '--baseline', baseline, '--no-report');
  expect(run.status).toBe(2);
  expect(run.stderr).toContain('names no rule of the suite: ORD-CRATE');
});

test('--class documented decides the exit status and both verdicts are printed', async () => {
  const run = await cli(
    '--base-url',
    sandbox.url,
    '--filter',
    'ORD-CREATE',
    '--filter',
    'FEED-422-CURSOR',
    '--class',
    'documented',
    '--no-report',
  );
  expect(run.status).toBe(0);
  expect(run.stdout).toContain('documented: 1/1 pass · contract: 2/2 pass');
  expect(run.stdout).toContain('every MUST rule of the documented class passes');
  expect((await cli('--class', 'designed', '--no-report')).status).toBe(2);
});
