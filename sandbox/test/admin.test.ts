// The sandbox-only operator endpoints: region mapping resolves waiting orders, advancing parcels, token expiry,
// fixtures.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FIXTURES_FILE } from '../src/fixtures.ts';
import { clearanceOrder, Harness, homeOrder, unique } from './helpers.ts';
import { credentials } from './roles.ts';

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(() => h.close());

describe('POST /_sandbox/region-mappings', () => {
  test("resolves only that partner's waiting, uncancelled orders with that pair", async () => {
    const pair = { parent_region: 'adm', region: unique('leaf') };
    const waiting = await h.createOrder(homeOrder(pair));
    const cancelled = await h.createOrder(homeOrder(pair));
    await h.call(`/api/v1/orders/${cancelled.body.data.order_id}/cancel`, {
      method: 'POST',
      token: await h.token('sm_test_full'),
    });
    const otherPair = await h.createOrder(homeOrder({ ...pair, region: unique('leaf') }));
    const otherPartner = await h.createOrder(homeOrder(pair), 'sm_other_full');
    const got = await h.call('/_sandbox/region-mappings', { json: { client_id: 'sm_test_istanbul', ...pair } });
    expect(got.status).toBe(201);
    expect(got.body.data).toEqual({
      partner_id: credentials.full.partner_id,
      ...pair,
      starmile_region_id: 101,
      resolved_orders: [waiting.body.data.order_id],
    });
    const status = async (tracking: string, clientId = 'sm_test_full') =>
      (await h.call(`/api/v1/orders/${tracking}`, { token: await h.token(clientId) })).body.data.region_status;
    expect(await status(waiting.body.data.order_id)).toBe('mapped');
    expect(await status(cancelled.body.data.order_id)).toBe('pending_mapping');
    expect(await status(otherPair.body.data.order_id)).toBe('pending_mapping');
    expect(await status(otherPartner.body.data.order_id, 'sm_other_full')).toBe('pending_mapping');
    const later = await h.createOrder(homeOrder(pair));
    expect(later.body.data.region_status).toBe('mapped');
  });

  test.each([
    ['an already-mapped pair', { client_id: 'sm_test_full', parent_region: '1', region: '2' }, 409, undefined],
    ['an unknown client_id', { client_id: 'sm_nobody', parent_region: 'a', region: 'b' }, 422, 'client_id'],
    [
      'an unknown Starmile region',
      { client_id: 'sm_test_full', parent_region: 'a', region: 'b', starmile_region_id: 999 },
      422,
      'starmile_region_id',
    ],
    ['a missing region', { client_id: 'sm_test_full', parent_region: 'a' }, 422, 'region'],
    [
      'an unknown field',
      { client_id: 'sm_test_full', parent_region: 'a', region: 'b', partner_id: credentials.full.partner_id },
      422,
      'partner_id',
    ],
  ])('%s -> %i, nothing changes', async (_name, json, status, field) => {
    const before = h.state.snapshot();
    const got = await h.call('/_sandbox/region-mappings', { json });
    expect(got.status).toBe(status);
    if (field) expect(Object.keys(got.body.errors)).toEqual([field]);
    expect(h.state.snapshot()).toBe(before);
  });
});

describe('POST /_sandbox/parcels/{parcel_id}/advance', () => {
  test('defaults to received, appends status_changed; same status again adds nothing', async () => {
    const o = await h.createOrder(clearanceOrder());
    const parcelId = o.body.data.items[0].parcel_id;
    const first = await h.call(`/_sandbox/parcels/${parcelId}/advance`, { method: 'POST' });
    expect(first.body.data).toEqual({ parcel_id: parcelId, status: 'received' });
    const before = h.state.feed.length;
    await h.call(`/_sandbox/parcels/${parcelId}/advance`, { json: {} });
    expect(h.state.feed.length).toBe(before);
  });

  test.each([
    ['an unknown parcel', 'SP9999999999', { status: 'received' }, 404],
    ['status cancelled', null, { status: 'cancelled' }, 422],
    ['an unknown status', null, { status: 'lost' }, 422],
  ])('%s -> %i', async (_name, parcel, json, status) => {
    const id = parcel ?? (await h.createOrder(clearanceOrder())).body.data.items[0].parcel_id;
    const before = h.state.snapshot();
    expect((await h.call(`/_sandbox/parcels/${id}/advance`, { json })).status).toBe(status);
    expect(h.state.snapshot()).toBe(before);
  });

  test('a parcel of a cancelled order, or a delivered one, is final: 409', async () => {
    const o = await h.createOrder(clearanceOrder({ parcels: [{}, {}] }));
    const [a, b] = o.body.data.items.map((i: { parcel_id: string }) => i.parcel_id);
    await h.call(`/_sandbox/parcels/${a}/advance`, { json: { status: 'delivered' } });
    expect((await h.call(`/_sandbox/parcels/${a}/advance`, { json: { status: 'received' } })).status).toBe(409);
    const c = await h.createOrder(clearanceOrder());
    await h.call(`/api/v1/orders/${c.body.data.order_id}/cancel`, {
      method: 'POST',
      token: await h.token('sm_test_full'),
    });
    expect(
      (await h.call(`/_sandbox/parcels/${c.body.data.items[0].parcel_id}/advance`, { method: 'POST' })).status,
    ).toBe(409);
    expect((await h.call(`/_sandbox/parcels/${b}/advance`, { json: { status: 'in_transit' } })).status).toBe(200);
  });
});

describe('POST /_sandbox/tokens/expire and GET /_sandbox/fixtures', () => {
  test('without a body every token expires', async () => {
    const a = await h.token('sm_test_full');
    const b = await h.token('sm_other_full');
    const got = await h.call('/_sandbox/tokens/expire', { method: 'POST' });
    expect(got.body.data.expired).toBeGreaterThanOrEqual(2);
    h.forgetTokens();
    for (const token of [a, b]) expect((await h.call('/api/v1/services', { token })).status).toBe(401);
  });

  test('an unknown client_id -> 422', async () => {
    const got = await h.call('/_sandbox/tokens/expire', { json: { client_id: 'sm_nobody' } });
    expect(got.status).toBe(422);
    expect(Object.keys(got.body.errors)).toEqual(['client_id']);
  });

  test('the fixtures served are the fixture file', async () => {
    const got = await h.call('/_sandbox/fixtures');
    expect(got.status).toBe(200);
    expect(got.body).toEqual(JSON.parse(readFileSync(FIXTURES_FILE, 'utf8')));
  });

  test.each([
    ['text/html', 406],
    ['application/json;q=0, text/html', 406],
    ['text/html, */*;q=0.1', 200],
    ['application/*', 200],
  ])('Accept: %s -> %i', async (accept, status) => {
    expect((await h.call('/_sandbox/fixtures', { headers: { accept } })).status).toBe(status);
  });
});
