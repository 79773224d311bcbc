// The package as an implementer gets it: `npm pack`, installed offline (empty cache) in an empty folder, run with npx
// against a sandbox; it holds no source and no dev tooling, and --version names the specs it checks against.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startSignedSandbox } from '../../conformance/test/support/sandbox.ts';
import { sandboxProfile } from '../../conformance/test/support/sandbox-profile.ts';
import { specBytes } from '../../contract/index.ts';
import { cleanEnv, installOffline, pack } from './support/offline-install.ts';

const conformanceDir = fileURLToPath(new URL('../../conformance/', import.meta.url));
/** What a suite that depends only on what it runs must not pull in. */
const DEV_TOOLING =
  /^(vitest|@vitest\/runner|typescript|tsx|esbuild|@esbuild\/.*|@stoplight\/.*|@redocly\/.*|playwright.*|openapi-typescript|@hey-api\/.*|autocannon|yaml|marked)$/;

let work: string;
let project: string;
let sandbox: Awaited<ReturnType<typeof startSignedSandbox>>;

/**
 * npx in the consumer's folder, without this process's npm settings, offline, and without blocking the event loop that
 * serves the sandbox.
 */
const npx = (...args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('npx', args, {
      cwd: project,
      env: { ...cleanEnv(), npm_config_offline: 'true', npm_config_cache: join(work, 'npx-cache'), NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });

/** Every package folder under node_modules, scoped ones included. */
function installed(modules: string): string[] {
  return readdirSync(modules).flatMap((name) => {
    if (name.startsWith('.')) return [];
    if (name.startsWith('@')) return readdirSync(join(modules, name)).map((sub) => `${name}/${sub}`);
    return [name];
  });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'starmile-conformance-pack-'));
  const tarball = pack(conformanceDir, work);
  project = join(work, 'consumer');
  mkdirSync(project);
  installOffline(tarball, project);
  // Its Starship webhooks are sent (to a sink), so they are signed and the signature rules have deliveries to judge.
  sandbox = await startSignedSandbox();
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the package holds the bundle, the bundled specs, the lifecycle model and the profile schema, and no source', () => {
  const root = join(project, 'node_modules', '@starmile', 'conformance');
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(join(dir, e.name)) : [relative(root, join(dir, e.name))],
    );
  const shipped = files(root).sort();
  expect(shipped.filter((f) => !/^dist\/chunk-[A-Z0-9]+\.js$/.test(f))).toEqual([
    'README.md',
    'dist/cli.js',
    'dist/generated/starmile-partner/openapi.json',
    'dist/generated/starship-rewards/lifecycle.json',
    'dist/generated/starship-rewards/lifecycle.schema.json',
    'dist/generated/starship-rewards/openapi.json',
    'package.json',
    'profile.schema.json',
  ]);
});

test('its installed dependency tree holds what it runs and no dev tooling', () => {
  const tree = installed(join(project, 'node_modules'));
  expect(tree).toEqual(expect.arrayContaining(['@starmile/conformance', 'ajv', 'ajv-formats', '@vitest/expect']));
  expect(tree.filter((name) => DEV_TOOLING.test(name))).toEqual([]);
});

test('--version prints the suite version and each spec with the sha256 of its bundled file', async () => {
  const run = await npx('starmile-conformance', '--version');
  expect(run.status).toBe(0);
  const version = (JSON.parse(readFileSync(join(conformanceDir, 'package.json'), 'utf8')) as { version: string })
    .version;
  expect(run.stdout).toContain(`starmile-conformance ${version}\n`);
  for (const api of ['starmile-partner', 'starship-rewards'] as const)
    expect(run.stdout).toContain(`(${api}) sha256 ${createHash('sha256').update(specBytes(api)).digest('hex')}`);
});

test('npx starmile-conformance --base-url URL --profile p.json passes every rule against the sandbox and writes its reports', async () => {
  writeFileSync(join(project, 'p.json'), JSON.stringify(sandboxProfile(sandbox.url), null, 2));
  const run = await npx('starmile-conformance', '--base-url', sandbox.url, '--profile', 'p.json');
  expect(run.stderr).toBe('');
  expect(run.status, run.stdout.slice(-3000)).toBe(0);
  const doc = JSON.parse(readFileSync(join(project, 'reports', 'conformance', 'results.json'), 'utf8')) as {
    totals: { rules: number; pass: number };
  };
  expect(doc.totals.pass).toBe(doc.totals.rules);
});

test("without --base-url the installed suite says what to give, since the embedded sandbox is the repository's", async () => {
  const run = await npx('starmile-conformance');
  expect(run.status).toBe(2);
  expect(run.stderr).toContain('the embedded sandbox and --profile fixtures exist only in the Starmile repository');
});
