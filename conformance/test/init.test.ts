// `starmile-conformance init`: given only the sandbox's credentials it writes a profile that passes the schema and
// reaches a full run; against a server without the sandbox's operator API it lists what it could not learn, and the
// suite will not run until that is filled in; the inference from services and rates as a table.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadFixtures } from '../../sandbox/src/fixtures.ts';
import { startSandbox } from '../../sandbox/src/server.ts';
import { runConformance } from '../src/conformance.ts';
import { json } from '../src/fault-kit.ts';
import { fixtureServices, type Seen, tenantOf } from '../src/init/infer.ts';
import { envLabel, loadProfile, ProfileError, profileProblems } from '../src/profile.ts';
import { faultCredentials } from './support/faults.ts';
import { type FaultyProxy, startFaultyProxy } from './support/faulty-proxy.ts';
import { sandboxProfile } from './support/sandbox-profile.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = loadFixtures();
const byRole = (role: string) => fixtures.credentials.filter((c) => c.role === role);
/** Only the credentials: their ids as flags, their secrets in the environment, as an implementer would give them. */
const secrets = Object.fromEntries(fixtures.credentials.map((c) => [envLabel(c.client_id), c.client_secret]));
const credentialFlags = [
  '--full',
  byRole('full')[0]!.client_id,
  ...byRole('narrow').flatMap((c) => ['--narrow', c.client_id]),
  '--other-partner',
  byRole('other-partner')[0]!.client_id,
  '--other-warehouse',
  byRole('other-warehouse')[0]!.client_id,
];

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let proxy: FaultyProxy;
let dir: string;

/**
 * The command as an implementer runs it (the built bundle), without blocking the event loop that serves the sandbox.
 */
const cli = (...args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [join(root, 'conformance/scripts/conformance.mjs'), ...args], {
      cwd: dir,
      env: { ...process.env, ...secrets, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  // The same sandbox without its operator API: what a server that is not the sandbox looks like to init.
  proxy = await startFaultyProxy(sandbox.url, faultCredentials);
  proxy.setFault(async (req, ctx) =>
    req.path.startsWith('/_sandbox/') ? json(404, { message: 'Not found.' }) : ctx.upstream(req),
  );
  dir = mkdtempSync(join(tmpdir(), 'conformance-init-'));
});

afterAll(async () => {
  await proxy?.close();
  await sandbox?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("with only the sandbox's credentials, init writes a profile that passes the schema and reaches a full run", async () => {
  const run = await cli('init', '--base-url', sandbox.url, ...credentialFlags, '--out', 'sandbox.json');
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toContain('Nothing left to fill in.');
  const written = JSON.parse(readFileSync(join(dir, 'sandbox.json'), 'utf8'));
  expect(profileProblems(written)).toEqual([]);
  // No secret is written: each is named by its environment variable.
  expect(JSON.stringify(written)).not.toMatch(new RegExp(fixtures.credentials.map((c) => c.client_secret).join('|')));
  // The services it told from the Partner API are the ones the sandbox's own profile derives from its fixture file.
  const derived = sandboxProfile(sandbox.url);
  expect(written.fixtures).toEqual({ ...derived.fixtures });
  expect(written.credentials.narrow.map((n: { scopes: string[] }) => n.scopes)).toEqual(
    derived.credentials.narrow.map((n) => n.scopes),
  );
  expect(written.feed).toEqual({ takesLimit: true });

  const { verdict, exitCode } = await runConformance({
    profile: loadProfile(join(dir, 'sandbox.json'), { ...process.env, ...secrets }),
    reportDir: null,
    write: null,
  });
  // Every rule runs; only the Starship rules wait for a starship section, which init does not write.
  expect(
    verdict.rules
      .filter((r) => r.verdicts.contract !== 'pass' && !r.meta.fixtures?.includes('starship'))
      .map((r) => `${r.id}: ${r.verdicts.contract}`),
  ).toEqual([]);
  expect(
    verdict.rules.filter((r) => r.verdicts.contract === 'not verified').every((r) => r.meta.api === 'starship-rewards'),
  ).toBe(true);
  expect(exitCode).toBe(0);
}, 60_000);

test("against a server without the sandbox's operator API, what init cannot learn is listed, and the suite will not run until it is filled in", async () => {
  const run = await cli('init', '--base-url', proxy.url, ...credentialFlags, '--out', 'server.json');
  expect(run.status).toBe(0);
  const written = JSON.parse(readFileSync(join(dir, 'server.json'), 'utf8'));
  expect(profileProblems(written)).toEqual([]);
  expect(written.todo.map((t: string) => t.split(':')[0])).toEqual([
    'fixtures.regions.mapped',
    'fixtures.regions.sameLeafTwoParents',
    'fixtures.regions.unmappedParent',
    'fixtures.pudoPoints',
  ]);
  expect(written.hooks).toBeUndefined();
  expect(run.stdout).toContain('Still to fill in');
  expect(() => loadProfile(join(dir, 'server.json'), { ...process.env, ...secrets })).toThrow(ProfileError);
  const refused = await cli('--profile', 'server.json', '--no-report');
  expect(refused.status).toBe(2);
  expect(refused.stderr).toContain(
    'The profile still lists what init could not learn from the server:\n  - fixtures.regions.mapped',
  );
});

test('init refuses to overwrite a profile, and names the environment variable of a secret it lacks', async () => {
  expect((await cli('init', '--base-url', sandbox.url, ...credentialFlags, '--out', 'sandbox.json')).stderr).toContain(
    'exists: give another --out, or --force',
  );
  const run = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      [
        join(root, 'conformance/scripts/conformance.mjs'),
        'init',
        '--base-url',
        sandbox.url,
        ...credentialFlags,
        '--out',
        'nosecret.json',
      ],
      { cwd: dir, env: { ...process.env, NO_COLOR: '1' } },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (status) => resolve({ status, stderr }));
  });
  expect(run.status).toBe(2);
  expect(run.stderr).toContain(
    `the secret of ${byRole('full')[0]!.client_id} is not in ${envLabel(byRole('full')[0]!.client_id)}`,
  );
});

describe('services and rates: what init tells from them', () => {
  const service = (id: number, type: string, consolidation: boolean, warehouse = 1) =>
    ({
      id,
      flow_definition_id: id + 100,
      name: `s${id}`,
      delivery_type: type,
      consolidation_enabled: consolidation,
      org_country_id: warehouse,
    }) as unknown as Seen['services'][number];
  const rate = (id: number, status: 'active' | 'inactive', ...bound: number[]) =>
    ({
      id,
      service_id: id + 100,
      status,
      bindings: bound.map((s) => ({ partner_id: 7, service_id: s, org_country_id: 1 })),
    }) as unknown as Seen['rates'][number];
  const seen: Seen = {
    services: [
      service(1, 'home_delivery', true),
      service(2, 'pudo', false),
      service(3, 'home_delivery', false),
      service(4, 'clearance', false),
    ],
    rates: [rate(10, 'active', 1, 2), rate(11, 'inactive', 3), rate(12, 'inactive', 1)],
  };
  const values = (carries: 'id' | 'flow_definition_id') =>
    Object.fromEntries(Object.entries(fixtureServices(seen, carries)).map(([k, f]) => [k, f?.value ?? null]));

  test.each([
    [
      'the Service id (D1)',
      'id',
      {
        homeDelivery: 1,
        pudo: 2,
        locker: null,
        clearance: null,
        crossDocking: null,
        withConsolidation: 1,
        withoutConsolidation: 2,
        unrated: 3,
      },
    ],
    [
      'the flow id',
      'flow_definition_id',
      {
        homeDelivery: 101,
        pudo: 102,
        locker: null,
        clearance: null,
        crossDocking: null,
        withConsolidation: 101,
        withoutConsolidation: 102,
        unrated: 111,
      },
    ],
  ] as const)(
    'as %s: only services an active rate binds; the unrated one is bound by no active rate',
    (_name, carries, want) => {
      expect(values(carries)).toEqual(want);
    },
  );

  test.each<[string, Seen, ReturnType<typeof tenantOf>]>([
    ['one partner in the bindings, one warehouse in the services', seen, { partnerId: 7, warehouseId: 1 }],
    [
      'two warehouses listed: none told',
      { ...seen, services: [...seen.services, service(5, 'pudo', false, 2)] },
      { partnerId: 7 },
    ],
    ['no rate: no partner told', { ...seen, rates: [] }, { warehouseId: 1 }],
  ])('the partner and warehouse a credential acts for: %s', (_name, given, want) => {
    expect(tenantOf(given)).toEqual(want);
  });
});
