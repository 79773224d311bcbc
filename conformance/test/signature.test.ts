// The suite's own Starship-Signature check (node:crypto) agrees with the client's verifyWebhook (Web Crypto), which the
// sandbox signs with: the judge shares no code with the judged, so the two are compared on a table of deliveries.
import { describe, expect, test } from 'vitest';
import { signWebhook, verifyWebhook } from '../../client/src/webhook-signature.ts';
import { signBody, toleranceSeconds, verifySignature } from '../rules/starship-rewards/signature.ts';

const NEW = 'whsec_conformance_new_4b1d9e';
const OLD = 'whsec_conformance_old_7c2a0f';
const BODY = JSON.stringify({
  event_id: 'evt_0000000001',
  type: 'order.delivered',
  occurred_at: '2026-11-30T10:00:00.000Z',
  order: { id: 'ord_1', sub_status: 'COMPLETED', note: 'naïve ✓' },
});
const NOW = Date.parse('2026-11-30T10:00:02.000Z');
const T = Math.floor(NOW / 1000);
const tolerance = toleranceSeconds();

type Delivery = { body: string; header: () => Promise<string | undefined>; secrets: string[] };
const signed =
  (secrets: string[], t = T, body = BODY) =>
  () =>
    signWebhook(body, secrets, t);
const raw = (header: string | undefined) => () => Promise.resolve(header);
const hex = (n: number) => 'a'.repeat(n);

const AGREE: [what: string, delivery: Delivery, want: 'ok' | 'malformed' | 'forged' | 'replayed'][] = [
  ['signed with the one secret', { body: BODY, header: signed([NEW]), secrets: [NEW] }, 'ok'],
  [
    'signed with both while rotating, the receiver holding the new one',
    { body: BODY, header: signed([NEW, OLD]), secrets: [NEW] },
    'ok',
  ],
  [
    'signed with both while rotating, the receiver holding the old one',
    { body: BODY, header: signed([NEW, OLD]), secrets: [OLD] },
    'ok',
  ],
  [
    'the receiver holding both, signed with the old one',
    { body: BODY, header: signed([OLD]), secrets: [NEW, OLD] },
    'ok',
  ],
  [
    'a scheme it does not know beside v1',
    { body: BODY, header: async () => (await signed([NEW])()).replace(',v1=', `,v0=${hex(64)},v1=`), secrets: [NEW] },
    'ok',
  ],
  ['t exactly the tolerance old', { body: BODY, header: signed([NEW], T - tolerance), secrets: [NEW] }, 'ok'],
  [
    'signed with another secret',
    { body: BODY, header: signed(['whsec_someone_else_000000']), secrets: [NEW] },
    'forged',
  ],
  [
    'the body altered after signing',
    { body: BODY.replace('COMPLETED', 'REFUNDED'), header: signed([NEW]), secrets: [NEW] },
    'forged',
  ],
  [
    'a re-serialisation of the body signed',
    { body: BODY, header: signed([NEW], T, JSON.stringify(JSON.parse(BODY), null, 2)), secrets: [NEW] },
    'forged',
  ],
  [
    't moved after signing',
    { body: BODY, header: async () => (await signed([NEW])()).replace(`t=${T}`, `t=${T - 1}`), secrets: [NEW] },
    'forged',
  ],
  [
    't one second past the tolerance, old',
    { body: BODY, header: signed([NEW], T - tolerance - 1), secrets: [NEW] },
    'replayed',
  ],
  ['t past the tolerance, ahead', { body: BODY, header: signed([NEW], T + tolerance + 1), secrets: [NEW] }, 'replayed'],
  ['t = 0', { body: BODY, header: signed([NEW], 0), secrets: [NEW] }, 'replayed'],
  ['no header', { body: BODY, header: raw(undefined), secrets: [NEW] }, 'malformed'],
  ['an empty header', { body: BODY, header: raw(''), secrets: [NEW] }, 'malformed'],
  ["another provider's header", { body: BODY, header: raw(`sha256=${hex(64)}`), secrets: [NEW] }, 'malformed'],
  ['a timestamp without v1', { body: BODY, header: raw(`t=${T}`), secrets: [NEW] }, 'malformed'],
  ['a v1 that is not hex', { body: BODY, header: raw(`t=${T},v1=${'z'.repeat(64)}`), secrets: [NEW] }, 'malformed'],
  ['a v1 one digit short', { body: BODY, header: raw(`t=${T},v1=${hex(63)}`), secrets: [NEW] }, 'malformed'],
  [
    'upper-case hex',
    {
      body: BODY,
      header: async () => (await signed([NEW])()).toUpperCase().replace('T=', 't=').replace('V1=', 'v1='),
      secrets: [NEW],
    },
    'malformed',
  ],
  ['only another scheme', { body: BODY, header: raw(`t=${T},v0=${hex(64)}`), secrets: [NEW] }, 'malformed'],
  ['t twice', { body: BODY, header: async () => `t=${T},${await signed([NEW])()}`, secrets: [NEW] }, 'malformed'],
  [
    'a signed body that is not JSON',
    { body: 'not json', header: signed([NEW], T, 'not json'), secrets: [NEW] },
    'malformed',
  ],
];

describe('the suite and the client agree', () => {
  test.each(AGREE)('%s', async (_what, d, want) => {
    const header = await d.header();
    // The client on its default tolerance: at the boundary rows it must be the spec's, as the suite reads it.
    const client = await verifyWebhook(d.body, header, d.secrets, { now: NOW });
    const suite = verifySignature(d.body, header, d.secrets, { now: NOW, toleranceSeconds: tolerance });
    expect([client.ok ? 'ok' : client.reason, suite.ok ? 'ok' : suite.reason]).toEqual([want, want]);
  });
});

// The client is lenient where the spec's pattern is not; the suite judges a server by the spec.
const STRICTER: [what: string, header: (valid: string) => string][] = [
  ['v1 before t', (valid) => valid.split(',').reverse().join(',')],
  ['a space after the comma', (valid) => valid.replace(',', ', ')],
];

test.each(STRICTER)(
  'the suite refuses what the spec does not allow and the client accepts: %s',
  async (_what, edit) => {
    const header = edit(await signWebhook(BODY, NEW, T));
    expect((await verifyWebhook(BODY, header, NEW, { now: NOW })).ok).toBe(true);
    expect(verifySignature(BODY, header, [NEW], { now: NOW, toleranceSeconds: tolerance })).toEqual({
      ok: false,
      reason: 'malformed',
    });
  },
);

test.each([
  ['one secret', [NEW]],
  ['two secrets, newest first', [NEW, OLD]],
])('the headers the rules forge are the ones the client writes: %s', async (_what, secrets) => {
  expect(signBody(BODY, secrets, T)).toBe(await signWebhook(BODY, secrets, T));
});
