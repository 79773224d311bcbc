// The CI recipe of the conformance guide, run as written against the sandbox: its shell steps verbatim, in order, in an
// empty folder; the server it starts is the sandbox, the package it installs is this one's tarball (offline), and every
// file it uploads is there afterwards.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parse } from 'yaml';
import { envLabel } from '../../conformance/src/profile.ts';
import { loadFixtures } from '../../sandbox/src/fixtures.ts';
import { startSandbox } from '../../sandbox/src/server.ts';
import { cleanEnv, installOffline, pack } from './support/offline-install.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const guide = readFileSync(join(root, 'docs/guides/conformance.md'), 'utf8');

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string>;
}
interface Workflow {
  jobs: Record<string, { env: Record<string, string>; steps: Step[] }>;
}

const recipe = (): Workflow => {
  const block = /^```yaml ci-recipe\n([\s\S]*?)^```/m.exec(guide);
  if (!block) throw new Error('docs/guides/conformance.md has no ```yaml ci-recipe block');
  return parse(block[1]!) as Workflow;
};

const fixtures = loadFixtures();
const secrets = Object.fromEntries(fixtures.credentials.map((c) => [envLabel(c.client_id), c.client_secret]));
const byRole = (role: string) => fixtures.credentials.filter((c) => c.role === role);

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let work: string;
let project: string;

/**
 * One `run:` as the runner would: bash -e in the checkout, the job's environment, without blocking the sandbox's event
 * loop.
 */
const bash = (script: string, env: NodeJS.ProcessEnv) =>
  new Promise<{ status: number | null; out: string }>((resolve) => {
    const child = spawn('bash', ['-e', '-c', script], { cwd: project, env });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', (status) => resolve({ status, out }));
  });

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  work = mkdtempSync(join(tmpdir(), 'starmile-ci-recipe-'));
  project = join(work, 'checkout');
  mkdirSync(project);
  // What the "suite" step installs from the registry, installed here from this repository's tarball, offline.
  installOffline(pack(join(root, 'conformance'), work), project);
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the recipe starts the server, waits for it, installs the suite, runs it with a baseline and uploads its reports', async () => {
  const job = Object.values(recipe().jobs)[0]!;
  const steps = job.steps;
  expect(steps.find((s) => s.id === 'suite')?.run).toMatch(/npm install .*@starmile\/conformance@\d/);
  expect(steps.find((s) => s.id === 'server')).toBeDefined();
  const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
  expect(upload?.if).toBe('always()');

  // The job's environment, its secrets given as the repository's would be: those of the sandbox's credentials.
  const env: NodeJS.ProcessEnv = {
    ...cleanEnv(),
    ...Object.fromEntries(Object.entries(job.env).filter(([, v]) => !String(v).includes('${{'))),
    STARMILE_BASE_URL: sandbox.url,
    ...secrets,
    npm_config_offline: 'true',
    npm_config_cache: join(work, 'npm-cache'),
    NO_COLOR: '1',
  };
  // What the repository holds: the profile init wrote, and a baseline (nothing is known to fail on the sandbox).
  mkdirSync(join(project, 'conformance'));
  writeFileSync(join(project, 'conformance/baseline.json'), JSON.stringify({ entries: [] }));
  const init = await bash(
    `npx starmile-conformance init --base-url "$STARMILE_BASE_URL" --full ${byRole('full')[0]!.client_id} ${byRole(
      'narrow',
    )
      .map((c) => `--narrow ${c.client_id}`)
      .join(' ')} --other-partner ${byRole('other-partner')[0]!.client_id} --out conformance/profile.json`,
    env,
  );
  expect(init.status, init.out).toBe(0);

  const ran: string[] = [];
  for (const step of steps) {
    if (step.uses || step.id === 'server' || step.id === 'suite') continue;
    const run = await bash(step.run!, env);
    expect(run.status, `${step.name}:\n${run.out.slice(-3000)}`).toBe(0);
    ran.push(step.name!);
  }
  expect(ran).toEqual(['Wait until it answers', 'Check the server']);
  for (const path of upload!.with!.path!.trim().split('\n'))
    expect(existsSync(join(project, path.trim())), path).toBe(true);
  const junit = readFileSync(join(project, 'reports/conformance/junit.xml'), 'utf8');
  expect(junit).toMatch(/^<\?xml/);
  expect(junit).not.toContain('<failure');
}, 120_000);
