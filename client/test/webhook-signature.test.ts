// verifyWebhook and signWebhook (decision SX8): a correctly signed, a forged and a replayed delivery are told apart,
// rotations verify with either secret, and the scheme is exactly the spec's (HMAC-SHA256 over `<t>.<raw body>`).
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../contract/index.ts';
import {
  DEFAULT_TOLERANCE_SECONDS,
  SIGNATURE_HEADER,
  signWebhook,
  verifyWebhook,
  type WebhookVerification,
} from '../src/starship.js';

const spec = loadSpec('starship-rewards');
const SECRET = 'whsec_orbit_7f3c9a2e5b8d1f64';
const NEW_SECRET = 'whsec_rotated_0b1c2d3e4f5a';
const body = JSON.stringify(spec.components.examples.NotifyOrderDeliveredRequestExample.value);
const T = 1_741_945_212;
const at = (seconds: number) => seconds * 1000;
const reason = (v: WebhookVerification) => (v.ok ? 'ok' : v.reason);

describe("the scheme is the spec's", () => {
  it('the header is the one every webhook of the spec requires', () => {
    for (const name of Object.keys(spec.webhooks)) {
      const refs = spec.webhooks[name].post.parameters.map((p: { $ref: string }) => p.$ref.split('/').pop());
      expect(refs.map((r: string) => spec.components.parameters[r].name)).toContain(SIGNATURE_HEADER);
    }
  });

  it('v1 is the lower-case hex HMAC-SHA256 of `<t>.<raw body>` keyed with the secret', async () => {
    const header = await signWebhook(body, SECRET, T);
    expect(header).toBe(`t=${T},v1=${createHmac('sha256', SECRET).update(`${T}.${body}`).digest('hex')}`);
  });

  it("the spec's example header verifies over the spec's example delivery (with the sandbox's first secret)", async () => {
    const example = spec.components.parameters.StarshipSignature.example as string;
    const got = await verifyWebhook(body, example, SECRET, { now: at(T + 10) });
    expect(got.ok).toBe(true);
    expect(new RegExp(spec.components.parameters.StarshipSignature.schema.pattern).test(example)).toBe(true);
  });

  it('one v1 per secret, newest first, while a secret is rotated', async () => {
    const header = await signWebhook(body, [NEW_SECRET, SECRET], T);
    expect(header.split(',')).toHaveLength(3);
    expect(header.split(',')[1]).toBe(`v1=${createHmac('sha256', NEW_SECRET).update(`${T}.${body}`).digest('hex')}`);
  });
});

describe('verifyWebhook tells the deliveries apart', () => {
  const now = at(T + 30);
  const cases: [
    string,
    () => Promise<[string | Uint8Array | ArrayBuffer, string | null | undefined, string | string[], number?]>,
    string,
  ][] = [
    ['correctly signed', async () => [body, await signWebhook(body, SECRET, T), SECRET], 'ok'],
    [
      'correctly signed, the body as bytes',
      async () => [new TextEncoder().encode(body), await signWebhook(body, SECRET, T), SECRET],
      'ok',
    ],
    [
      'correctly signed, the body as an ArrayBuffer',
      async () => [new TextEncoder().encode(body).buffer, await signWebhook(body, SECRET, T), SECRET],
      'ok',
    ],
    [
      'during a rotation, a receiver still holding the old secret',
      async () => [body, await signWebhook(body, [NEW_SECRET, SECRET], T), SECRET],
      'ok',
    ],
    [
      'during a rotation, a receiver already holding the new secret',
      async () => [body, await signWebhook(body, [NEW_SECRET, SECRET], T), NEW_SECRET],
      'ok',
    ],
    [
      'a receiver holding both secrets, a delivery signed with one',
      async () => [body, await signWebhook(body, SECRET, T), [NEW_SECRET, SECRET]],
      'ok',
    ],
    [
      'a scheme it does not know beside v1 is ignored',
      async () => [body, `${await signWebhook(body, SECRET, T)},v0=abc`, SECRET],
      'ok',
    ],
    [
      'forged: signed with another secret',
      async () => [body, await signWebhook(body, 'whsec_attacker_guess_123', T), SECRET],
      'forged',
    ],
    [
      'forged: the body altered after signing',
      async () => [body.replace('DELIVERED', 'CANCELLED'), await signWebhook(body, SECRET, T), SECRET],
      'forged',
    ],
    [
      'forged: the body re-serialised with spaces',
      async () => [JSON.stringify(JSON.parse(body), null, 1), await signWebhook(body, SECRET, T), SECRET],
      'forged',
    ],
    [
      'forged: the timestamp moved to now, the old signature kept',
      async () => [body, (await signWebhook(body, SECRET, T - 3600)).replace(`t=${T - 3600}`, `t=${T}`), SECRET],
      'forged',
    ],
    [
      'forged: a v1 of the right length that is not the HMAC',
      async () => [body, `t=${T},v1=${'0'.repeat(64)}`, SECRET],
      'forged',
    ],
    [
      'replayed: a captured delivery sent again an hour later',
      async () => [body, await signWebhook(body, SECRET, T - 3600), SECRET],
      'replayed',
    ],
    [
      'replayed: just outside the default tolerance',
      async () => [body, await signWebhook(body, SECRET, T + 30 - DEFAULT_TOLERANCE_SECONDS - 1), SECRET],
      'replayed',
    ],
    [
      'replayed: a timestamp far in the future',
      async () => [body, await signWebhook(body, SECRET, T + 3600), SECRET],
      'replayed',
    ],
    [
      'within a tolerance the receiver chose',
      async () => [body, await signWebhook(body, SECRET, T - 3600), SECRET, 7200],
      'ok',
    ],
    ['malformed: no header', async () => [body, undefined, SECRET], 'malformed'],
    ['malformed: an empty header', async () => [body, '', SECRET], 'malformed'],
    ['malformed: no timestamp', async () => [body, `v1=${'a'.repeat(64)}`, SECRET], 'malformed'],
    ['malformed: no v1', async () => [body, `t=${T}`, SECRET], 'malformed'],
    [
      'malformed: a timestamp that is not a number',
      async () => [body, `t=soon,v1=${'a'.repeat(64)}`, SECRET],
      'malformed',
    ],
    ['malformed: two timestamps', async () => [body, `t=${T},t=${T},v1=${'a'.repeat(64)}`, SECRET], 'malformed'],
    [
      'malformed: a huge header',
      async () => [body, `t=${T},v1=${'a'.repeat(64)},x=${'y'.repeat(5000)}`, SECRET],
      'malformed',
    ],
    [
      'malformed: signed, but not JSON',
      async () => ['not json', await signWebhook('not json', SECRET, T), SECRET],
      'malformed',
    ],
  ];

  it.each(cases)('%s', async (_name, make, want) => {
    const [raw, header, secret, tolerance] = await make();
    const got = await verifyWebhook(raw, header, secret, {
      now,
      ...(tolerance === undefined ? {} : { toleranceSeconds: tolerance }),
    });
    expect(reason(got), JSON.stringify(got)).toBe(want);
    if (got.ok) {
      expect(got.event.event_id).toBe(JSON.parse(body).event_id);
      expect(got.timestamp).toBeGreaterThan(0);
    } else expect(got.message.length).toBeGreaterThan(10);
  });

  it('uses the clock when no `now` is given', async () => {
    const fresh = await signWebhook(body, SECRET, Math.floor(Date.now() / 1000));
    expect((await verifyWebhook(body, fresh, SECRET)).ok).toBe(true);
    expect(reason(await verifyWebhook(body, await signWebhook(body, SECRET, T), SECRET))).toBe('replayed');
  });

  it('signWebhook refuses to sign without a secret', async () => {
    await expect(signWebhook(body, [], T)).rejects.toThrow(/secret/);
  });
});
