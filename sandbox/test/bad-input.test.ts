// Bad input: every case gets its documented 4xx with the contract's error body naming the field, never a 500, and
// nothing stored changes.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadSpec } from '../../contract/index.ts';
import { badInputCases, sendRaw, type Targets } from './bad-input-cases.ts';
import { checkResponse, Harness, homeOrder } from './helpers.ts';

let h: Harness;
let targets: Targets;
beforeAll(async () => {
  h = await Harness.start();
  const body = homeOrder();
  const created = await h.createOrder(body);
  targets = {
    ref: body.order_id as string,
    tracking: created.body.data.order_id,
    parcelId: created.body.data.items[0].parcel_id,
    token: await h.token('sm_test_full'),
  };
});
afterAll(() => h.close());

/** The longest notes the spec allows, in characters (code points, as JSON Schema counts them: one 📦 is one). */
const MAX_NOTES = loadSpec('starmile-partner').components.schemas.CreateOrderRequest.properties.notes
  .maxLength as number;

// The table needs the targets, which exist only after beforeAll; names are listed from placeholder targets.
const names = badInputCases({ ref: 'R', tracking: 'T', parcelId: 'P', token: 'K' }).map((c, i) => [c.name, i] as const);

describe('bad input', () => {
  test.each(names)('%s', async (_name, index) => {
    const c = badInputCases(targets)[index]!;
    const before = h.state.snapshot();
    const got = await sendRaw(h.sandbox.url, c);
    expect(got.status, got.text.slice(0, 300)).toBe(c.status);
    const body = JSON.parse(got.text);
    const headers = new Headers(
      Object.entries(got.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)] as [string, string]])),
    );
    checkResponse(c.method, new URL(c.path, 'http://x').pathname, got.status, headers, body);
    expect(typeof body.message).toBe('string');
    if (c.field !== undefined) expect(Object.keys(body.errors ?? {}), JSON.stringify(body)).toContain(c.field);
    expect(h.state.snapshot()).toBe(before);
  });

  test('the sandbox still answers after the whole table', async () => {
    const got = await h.call(`/api/v1/orders/${targets.ref}`, { token: targets.token });
    expect(got.status).toBe(200);
    expect(got.body.data.parcels[0].status).toBe('created');
  });

  test('valid unicode is kept exactly: emoji, RTL and combining characters round-trip', async () => {
    const ref = `طلب-📦-\u202Eabc\u202C-e\u0301-${Date.now()}`;
    const created = await h.createOrder(
      homeOrder({ order_id: ref, customer_name: 'Ayşel Məmmədova 👩‍💼', notes: '📦'.repeat(MAX_NOTES) }),
    );
    expect(created.body.data.external_parent_id).toBe(ref);
    const read = await h.call(`/api/v1/orders/${encodeURIComponent(ref)}`, { token: targets.token });
    expect(read.status).toBe(200);
    expect(read.body.data.external_parent_id).toBe(ref);
  });
});
