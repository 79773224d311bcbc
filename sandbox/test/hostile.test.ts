// The hostile bodies of the worst-case bench (bench/attacks.ts), against every endpoint: each gets a documented 4xx
// whose error list is bounded, never a 5xx, and nothing stored changes. How fast they are answered is measured by `npm
// run bench`, not here.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadSpec } from '../../contract/index.ts';
import { type Attack, attacks } from '../bench/attacks.ts';
import { MAX_LISTED_FIELDS } from '../src/bounded.ts';
import { MORE_FIELDS } from '../src/http.ts';
import { starshipOf } from '../src/starship/state.ts';
import { sendRaw } from './bad-input-cases.ts';
import { checkResponse, clearanceOrder, Harness } from './helpers.ts';
import { KEY } from './starship-support.ts';

let h: Harness;
let token: string;
let order: string;
let parcel: string;
beforeAll(async () => {
  h = await Harness.start();
  token = await h.token('sm_test_full');
  const body = clearanceOrder();
  const created = await h.createOrder(body);
  order = body.order_id as string;
  parcel = created.body.data.items[0].parcel_id;
});
afterAll(() => h.close());

const fill = (s: string) =>
  s.replaceAll('{order}', order).replaceAll('{parcel}', parcel).replaceAll('{n}', String(Date.now()));

async function send(a: Attack) {
  const authorization = a.auth === 'starmile' ? `Bearer ${token}` : a.auth === 'starship' ? `Bearer ${KEY}` : undefined;
  return sendRaw(h.sandbox.url, {
    method: a.method,
    path: fill(a.path),
    headers: { ...a.headers, ...(authorization ? { authorization } : {}) },
    ...(a.body === undefined ? {} : { body: fill(a.body) }),
  });
}

/**
 * Operations whose attack of ~100,000 unknown fields is refused unparsed, as a body past the structural limits (X12).
 */
const UNPARSED = [
  'updateParcel',
  'cancelOrder',
  'reportEvent',
  'mapRegion',
  'advanceParcel',
  'expireTokens',
  'setStarshipWebhookTarget',
  'escalateStarshipOrder',
];

/** What each attack must get (all of them are refused but the two that are valid requests). */
const expected: Record<string, { status: number; field?: string; more?: boolean }> = {
  ...Object.fromEntries(UNPARSED.map((op) => [`${op}: ~100,000 unknown fields`, { status: 400, field: 'body' }])),
  'createToken: form with ~100,000 distinct parameters': { status: 400 },
  'createToken: form with one parameter repeated ~200,000 times': { status: 400 },
  'createToken: JSON with ~100,000 unknown fields': { status: 400 },
  'createToken: JSON with 1 MiB of duplicate keys': { status: 400 },
  'createOrder: ~500,000 invalid parcels': { status: 422, field: 'parcels' },
  'createOrder: ~100,000 empty parcels': { status: 400, field: 'body' },
  'createOrder: ~100,000 unknown fields': { status: 400, field: 'body' },
  'createOrder: 990 unknown fields': { status: 422, more: true },
  'createOrder: ~100,000 unknown fields in a parcel': { status: 400, field: 'body' },
  'createOrder: 100 parcels of 100 products, every field wrong': {
    status: 422,
    field: 'parcels.0.weight_grams',
    more: true,
  },
  'createOrder: 100 parcels, ~700 unknown fields each': { status: 422, field: 'parcels.0.f0_0', more: true },
  'createOrder: 1 MiB of nested arrays': { status: 400, field: 'body' },
  'createOrder: 1 MiB of nested objects': { status: 400, field: 'body' },
  'createOrder: 1 MiB of duplicate keys': { status: 400, field: 'body' },
  'createOrder: a 1 MiB unknown field name': { status: 422 },
  'createOrder: 1 MiB of escaped characters': { status: 422, field: 'order_id' },
  'createOrder: a 1 MiB customer_email': { status: 422, field: 'customer_email' },
  'createOrder: 100 valid parcels of 100 products (accepted)': { status: 201 },
  'updateParcel: ~200,000 empty products': { status: 400, field: 'body' },
  'updateParcel: 200,000 products that are numbers': { status: 422, field: 'products' },
  'reportEvent: 990 unknown fields in data': { status: 422, field: 'data.f0', more: true },
  'reportEvent: ~100,000 unknown fields in data': { status: 400, field: 'body' },
  'reportEvent: a 1 MiB occurred_at': { status: 422, field: 'occurred_at' },
  'reportEvent: 1 MiB array as the body': { status: 422, field: 'body' },
  'getOrder: an 8 KiB order reference': { status: 404 },
  'listRates: 8 KiB of unknown query parameters': { status: 200 },
  'listStarshipWebhooks: an 8 KiB order_id': { status: 422, field: 'order_id' },
  'Starship getOrder: an 8 KiB id': { status: 404 },
  'listChanges: 8 KiB query of repeated parameters': { status: 422, field: 'limit' },
  'setStarshipWebhookTarget: a 1 MiB url': { status: 422, field: 'url' },
  'Starship createOrder: quantity 10,000 (over the bulk cap)': { status: 201 },
  'Starship createOrder: ~100,000 unknown fields': { status: 422, field: 'body' },
  'Starship createOrder: 990 unknown fields': { status: 422, more: true },
  'Starship createOrder: 1 MiB of duplicate keys': { status: 422, field: 'body' },
};

describe('hostile requests', () => {
  test('the table covers every attack of the bench', () => {
    expect(Object.keys(expected).sort()).toEqual(
      attacks()
        .map((a) => a.name)
        .sort(),
    );
  });

  test.each(attacks().map((a) => [a.name, a] as const))('%s', async (name, a) => {
    const want = expected[name]!;
    const before = h.state.snapshot();
    const got = await send(a);
    expect(got.status, got.text.slice(0, 300)).toBe(want.status);
    const body = JSON.parse(got.text);
    const path = new URL(fill(a.path), 'http://x').pathname;
    checkResponse(a.method, path, got.status, new Headers(got.headers as Record<string, string>), body);
    if (want.status >= 400 && body.errors) {
      const fields = Object.keys(body.errors);
      expect(fields.length).toBeLessThanOrEqual(MAX_LISTED_FIELDS);
      for (const f of fields)
        expect(f.length).toBeLessThanOrEqual(
          loadSpec('starmile-partner').components.schemas.Error.properties.errors.propertyNames.maxLength,
        );
      if (want.field) expect(fields).toContain(want.field);
      expect(body.message.endsWith(MORE_FIELDS)).toBe(want.more === true);
      if (want.more) expect(fields).toHaveLength(MAX_LISTED_FIELDS);
      // A bounded list is a small body, whatever the request held.
      expect(got.text.length).toBeLessThan(16 * 1024);
    }
    if (want.status >= 400) expect(h.state.snapshot()).toBe(before);
  });
});

describe('what a refused request keeps: nothing', () => {
  test.each(
    attacks()
      .filter((a) => expected[a.name]!.status >= 400)
      .map((a) => [a.name, a] as const),
  )('%s: no order, token, event or webhook added', async (_name, a) => {
    const starship = starshipOf(h.state);
    const counts = () => [
      h.state.ordersByTracking.size,
      h.state.tokens.size,
      h.state.feed.length,
      starship.orders.size,
      starship.webhooks.log.length,
    ];
    const before = counts();
    await send(a);
    expect(counts()).toEqual(before);
  });
});

describe('reportEvent: a body that is not an object is a 422 naming body, never a 500', () => {
  test.each([['null'], ['[]'], ['"x"'], ['1'], ['true'], ['[{"event_id":"e"}]']])('%s', async (body) => {
    const got = await h.call('/api/v1/partner/events', {
      token,
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(got.status).toBe(422);
    expect(Object.keys(got.body.errors)).toEqual(['body']);
  });
});
