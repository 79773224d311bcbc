// The Starship part of the suite: optional in a profile, hook rules "not verified" without their hooks, walks of the
// model, and a server sending sub-statuses the model does not know failing no observation rule.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { applyWebhook, describeSubStatus, type OrderEvent } from '../../client/src/starship.ts';
import { loadFixtures } from '../../sandbox/src/fixtures.ts';
import { startSandbox } from '../../sandbox/src/server.ts';
import { rules } from '../registry/index.ts';
import { walkLength } from '../rules/starship-rewards/model.ts';
import { runConformance } from '../src/conformance.ts';
import { profileProblems, resolveProfile } from '../src/profile.ts';
import { secrets } from '../src/secrets.ts';
import { faultCredentials } from './support/faults.ts';
import { type Fault, type FaultyProxy, startFaultyProxy } from './support/faulty-proxy.ts';
import { startSignedSandbox } from './support/sandbox.ts';
import { sandboxProfile } from './support/sandbox-profile.ts';

let sandbox: Awaited<ReturnType<typeof startSignedSandbox>>;
let proxy: FaultyProxy;

beforeAll(async () => {
  sandbox = await startSignedSandbox();
  proxy = await startFaultyProxy(sandbox.url, faultCredentials);
});
afterAll(async () => {
  await proxy?.close();
  await sandbox?.close();
});

const ship = rules.filter((r) => r.api === 'starship-rewards');
const outcome = (results: { id: string; status: string; failures: { message: string }[]; reason?: string }[]) =>
  Object.fromEntries(results.map((r) => [r.id, r.status === 'fail' ? `fail: ${r.failures[0]?.message}` : r.status]));
/** The run of the rules `filters` selects against `profile`, with no report written. */
const runOf = async (profile: ReturnType<typeof resolveProfile>, filters: string[]) =>
  (await runConformance({ profile, filters, reportDir: null, write: null })).run;

describe('the starship section of a profile', () => {
  const valid = () => JSON.parse(JSON.stringify(sandboxProfile('http://127.0.0.1:4020')));

  test('is optional: a Starmile-only profile is valid', () => {
    const { starship: _s, ...input } = valid();
    expect(profileProblems(input)).toEqual([]);
  });

  test.each([
    [
      'a partial order of one unit',
      (p: any) => (p.starship.products.partial.quantity = 1),
      'starship.products.partial.quantity: must be >= 2',
    ],
    ['no pending product', (p: any) => delete p.starship.products.pending, 'starship.products.pending: is required'],
    [
      'a base URL with a trailing slash',
      (p: any) => (p.starship.baseUrl = 'http://127.0.0.1:4020/starship/v1/'),
      'starship.baseUrl: must match pattern',
    ],
    [
      'three webhook secrets (one, or two while rotating)',
      (p: any) => (p.starship.webhookSecrets = ['whsec_a_000000000', 'whsec_b_000000000', 'whsec_c_000000000']),
      'starship.webhookSecrets: must NOT have more than 2 items',
    ],
    [
      'an empty list of webhook secrets',
      (p: any) => (p.starship.webhookSecrets = []),
      'starship.webhookSecrets: must NOT have fewer than 1 items',
    ],
  ])('rejects %s naming the path', (_what, breakIt, want) => {
    const p = valid();
    breakIt(p);
    expect(profileProblems(p).join('\n')).toContain(want);
  });

  test('takes the API key from the environment and masks it', () => {
    const p = valid();
    p.starship.apiKey = { env: 'CF_TEST_STARSHIP_KEY' };
    expect(() => resolveProfile(p, {})).toThrow(
      /starship\.apiKey: environment variable CF_TEST_STARSHIP_KEY is not set/,
    );
    expect(resolveProfile(p, { CF_TEST_STARSHIP_KEY: 'ss-key-from-env-8d2q' }).starship?.apiKey).toBe(
      'ss-key-from-env-8d2q',
    );
    expect(secrets.mask('Bearer ss-key-from-env-8d2q')).toBe('Bearer $CF_TEST_STARSHIP_KEY');
  });

  test('takes the webhook secrets from the environment or as written, and masks both', () => {
    const p = valid();
    p.starship.webhookSecrets = [{ env: 'CF_TEST_WEBHOOK_SECRET' }, 'whsec-written-in-profile-5k1z'];
    expect(() => resolveProfile(p, {})).toThrow(
      /starship\.webhookSecrets\.0: environment variable CF_TEST_WEBHOOK_SECRET is not set/,
    );
    expect(resolveProfile(p, { CF_TEST_WEBHOOK_SECRET: 'whsec-from-env-3j8w' }).starship?.webhookSecrets).toEqual([
      'whsec-from-env-3j8w',
      'whsec-written-in-profile-5k1z',
    ]);
    expect(secrets.mask('whsec-from-env-3j8w whsec-written-in-profile-5k1z')).toBe(
      '$CF_TEST_WEBHOOK_SECRET $STARSHIP_WEBHOOK_SECRET_2',
    );
  });
});

test('without the starship section every Starship rule is not verified, never passed', async () => {
  const { starship: _s, ...input } = sandboxProfile(sandbox.url);
  const run = await runOf(resolveProfile(input), ['api:starship-rewards']);
  expect(outcome(run.results)).toEqual(Object.fromEntries(ship.map((r) => [r.id, 'not verified'])));
});

test('with the starship section but no hooks, exactly the rules needing a hook are not verified and the rest pass', async () => {
  const { hooks: _h, ...input } = sandboxProfile(sandbox.url);
  const run = await runOf(resolveProfile(input), ['api:starship-rewards']);
  expect(outcome(run.results)).toEqual(
    Object.fromEntries(ship.map((r) => [r.id, r.hooks?.length ? 'not verified' : 'pass'])),
  );
  // Undriven, pending and partial orders are still observed: the observation rules judged more than the instant path.
  expect(run.results.find((r) => r.id === 'SHIP-PAIRS-ALLOWED')!.trail.length).toBeGreaterThan(0);
});

describe('the signature rules are not verified, never passed, without what they judge', () => {
  const signatureRules = (profile: ReturnType<typeof resolveProfile>) =>
    runOf(profile, ['tag:signature']).then((run) => outcome(run.results));

  test('a sandbox with no webhook target sends nothing, so no delivery carries a signature', async () => {
    const unsent = await startSandbox({ port: 0 });
    try {
      expect(await signatureRules(resolveProfile(sandboxProfile(unsent.url)))).toEqual({
        'SHIP-WEBHOOK-SIGNED': 'not verified',
        'SHIP-WEBHOOK-SIGNATURE-FRESH': 'not verified',
        'SHIP-WEBHOOK-ROTATION': 'not verified',
      });
    } finally {
      await unsent.close();
    }
  });

  test('no webhook secrets in the profile: the timestamps are still judged', async () => {
    const input = sandboxProfile(sandbox.url);
    delete input.starship!.webhookSecrets;
    expect(await signatureRules(resolveProfile(input))).toEqual({
      'SHIP-WEBHOOK-SIGNED': 'not verified',
      'SHIP-WEBHOOK-SIGNATURE-FRESH': 'pass',
      'SHIP-WEBHOOK-ROTATION': 'not verified',
    });
  });

  test('a key with one secret: nothing is being rotated', async () => {
    const input = sandboxProfile(sandbox.url);
    const account = loadFixtures().starship.accounts.find((a) => a.webhook_secrets.length === 1)!;
    Object.assign(input.starship!, { apiKey: account.api_key, webhookSecrets: account.webhook_secrets });
    expect(await signatureRules(resolveProfile(input))).toEqual({
      'SHIP-WEBHOOK-SIGNED': 'pass',
      'SHIP-WEBHOOK-SIGNATURE-FRESH': 'pass',
      'SHIP-WEBHOOK-ROTATION': 'not verified',
    });
  });
});

describe('walks of the model between observed states', () => {
  const s = (status: string, sub_status: string) => ({ status, sub_status });
  test('nothing moved', () => expect(walkLength(s('PENDING', 'PROCESSING'), s('PENDING', 'PROCESSING'))).toBe(0));
  test('several transitions in a row', () =>
    expect(walkLength(s('PLACED', 'INITIAL'), s('DELIVERED', 'COMPLETED'))).toBeGreaterThan(1));
  test('a sub-status the model does not know', () =>
    expect(walkLength(s('PENDING', 'VENDOR_QUEUE_THROTTLED'), s('DELIVERED', 'COMPLETED'))).toBeDefined());
  test.each([
    ['CANCELLED', 'REFUNDED', 'DELIVERED', 'COMPLETED'],
    ['DELIVERED', 'COMPLETED', 'PENDING', 'PROCESSING'],
    ['PARTIALLY_DELIVERED', 'PARTIAL', 'PENDING', 'PROCESSING'],
    ['DELIVERED', 'PARTIAL', 'DELIVERED', 'COMPLETED'],
  ])('none from %s · %s to %s · %s', (a, b, c, d) => expect(walkLength(s(a, b), s(c, d))).toBeUndefined());
});

test('the client helpers accept a webhook with a sub-status the model does not know', () => {
  const event = {
    event_id: 'evt_conformance1',
    type: 'order.delivered',
    occurred_at: '2026-01-01T00:00:00Z',
    order: {
      id: 'ord_1',
      reference: null,
      sku: 'X',
      status: 'DELIVERED',
      sub_status: 'VOUCHER_REISSUED',
      items: [{ id: 'itm_1', status: 'DELIVERED', voucher: { code: 'C-1', url: null } }],
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
      status_changed_at: '2026-01-01T00:00:00Z',
    },
  } as OrderEvent;
  expect(describeSubStatus(event.order.sub_status)).toEqual({
    known: false,
    name: 'VOUCHER_REISSUED',
    informational: true,
  });
  const { effects } = applyWebhook(undefined, event);
  expect(effects.map((e) => e.type).sort()).toEqual(['log_sub_status', 'release_vouchers']);
});

test('a server that sends sub-statuses the model does not know fails no observation rule', async () => {
  // Every order it shows, in answers and in webhooks, carries a sub-status added after the model was written.
  const unknown: Fault = async (req, ctx) => {
    const res = await ctx.upstream(req);
    const mark = (o: any) => {
      if (o && typeof o === 'object' && typeof o.sub_status === 'string') o.sub_status = 'VOUCHER_REISSUED';
    };
    if (req.path.startsWith('/starship/') && res.status < 300) mark(res.json);
    if (req.path === '/_sandbox/starship/webhooks') for (const e of res.json?.data ?? []) mark(e.payload?.order);
    return res;
  };
  proxy.setFault(unknown);
  try {
    // The signature rules judge the bytes sent, which this fault leaves as they were (its payloads no longer match
    // them).
    const observation = ship
      .filter((r) => !['path', 'refund', 'bulk', 'signature'].some((tag) => r.tags.includes(tag)))
      .map((r) => r.id);
    expect(observation).toContain('SHIP-SUB-STATUS-OPEN');
    const run = await runOf(resolveProfile(sandboxProfile(proxy.url)), observation);
    expect(outcome(run.results)).toEqual(Object.fromEntries(observation.map((id) => [id, 'pass'])));
    // The path rules do notice: the documented sub-status of each end is part of the path.
    const paths = await runOf(resolveProfile(sandboxProfile(proxy.url)), ['SHIP-PATH-INSTANT']);
    expect(paths.results[0]!.status).toBe('fail');
  } finally {
    proxy.setFault(undefined);
  }
});
