// The operator bulk-load (SB15): orders stored as createOrder would store them, in the right feed, all or nothing,
// within its bounds.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadSpec } from '../../contract/index.ts';
import { preloadLedger } from '../src/preload.ts';
import { clearanceOrder, Harness, withFreshSandbox } from './helpers.ts';
import { services } from './roles.ts';

const admin = loadSpec('sandbox-admin');
const PER_CALL = admin.components.schemas.PreloadOrdersRequest.properties.count.maximum as number;
const TOTAL = admin.components.schemas.PreloadedOrders.properties.preloaded_total.maximum as number;

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(() => h.close());

const preload = (json: unknown) => h.call('/_sandbox/orders/preload', { json });

/** What a read-back or a feed entry says, without what differs between any two orders (ids, references, times). */
const shape = (value: Record<string, unknown>) =>
  JSON.parse(JSON.stringify(value), (key, v) =>
    [
      'order_id',
      'external_parent_id',
      'tracking_number',
      'parcel_id',
      'item_id',
      'partner_tracking',
      'merchant_tracking',
      'id',
      'created_at',
      'updated_at',
      'occurred_at',
    ].includes(key)
      ? typeof v
      : v,
  );

describe('POST /_sandbox/orders/preload', () => {
  test('stores count one-parcel orders, each read back and fed exactly as an order created through the API', async () => {
    const before = h.state.feed.length;
    const got = await preload({ client_id: 'sm_test_full', count: 3 });
    expect(got.status).toBe(201);
    expect(got.body.data).toMatchObject({
      client_id: 'sm_test_full',
      service_id: services.clearance,
      count: 3,
      preloaded_total: 3,
    });
    expect(h.state.feed.length).toBe(before + 3);
    const token = await h.token('sm_test_full');
    const first = await h.call(`/api/v1/orders/${got.body.data.first_order_id}`, { token });
    const last = await h.call(`/api/v1/orders/${got.body.data.last_order_id}`, { token });
    expect(first.body.data.external_parent_id).toBe('preload1-1');
    expect(last.body.data.external_parent_id).toBe('preload1-3');
    // The references are the partner's own: the order and its parcel are found by them too.
    expect((await h.call('/api/v1/orders/preload1-2', { token })).status).toBe(200);

    const created = await h.createOrder(clearanceOrder());
    const twin = await h.call(`/api/v1/orders/${created.body.data.order_id}`, { token });
    expect(shape(first.body.data)).toEqual(shape(twin.body.data));
    const [preloaded, made] = [h.state.feed[before]!.change, h.state.feed.at(-1)!.change];
    expect(preloaded.external_parent_id).toBe('preload1-1');
    expect(shape(preloaded)).toEqual(shape(made));
  });

  test("the orders are in the status pool of that credential's partner and warehouse only", async () => {
    await withFreshSandbox(async (fresh) => {
      await fresh.call('/_sandbox/orders/preload', { json: { client_id: 'sm_test_read', count: 2 } });
      for (const clientId of ['sm_test_read', 'sm_test_full'])
        expect(
          (await fresh.allChanges(clientId)).map((e) => e.external_parent_id),
          clientId,
        ).toEqual(['preload1-1', 'preload1-2']);
      for (const clientId of ['sm_other_full', 'sm_test_istanbul'])
        expect(await fresh.allChanges(clientId), clientId).toEqual([]);
    });
  });

  test('a later call names its references afresh; the bound counts every call of the sandbox', async () => {
    await withFreshSandbox(async (fresh) => {
      const one = await fresh.call('/_sandbox/orders/preload', {
        json: { client_id: 'sm_test_full', count: PER_CALL },
      });
      const two = await fresh.call('/_sandbox/orders/preload', { json: { client_id: 'sm_test_read', count: 1 } });
      expect(one.body.data).toMatchObject({
        count: PER_CALL,
        first_order_id: 'SM0000000001',
        last_order_id: `SM${String(PER_CALL).padStart(10, '0')}`,
      });
      expect(two.body.data.preloaded_total).toBe(PER_CALL + 1);
      expect((await fresh.allChanges('sm_test_read')).at(-1).external_parent_id).toBe('preload2-1');
    });
  });

  test.each([
    ['count 0', { client_id: 'sm_test_full', count: 0 }, 'count'],
    ['count over the bound of one call', { client_id: 'sm_test_full', count: PER_CALL + 1 }, 'count'],
    ['count not an integer', { client_id: 'sm_test_full', count: 1.5 }, 'count'],
    ['count as a string', { client_id: 'sm_test_full', count: '10' }, 'count'],
    ['no count', { client_id: 'sm_test_full' }, 'count'],
    ['no client_id', { count: 1 }, 'client_id'],
    ['an unknown client_id', { client_id: 'sm_nobody', count: 1 }, 'client_id'],
    ['a credential with no orderable clearance service', { client_id: 'sm_test_istanbul', count: 1 }, 'client_id'],
    ['an unknown field', { client_id: 'sm_test_full', count: 1, service_id: services.clearance }, 'service_id'],
  ])('%s -> 422 naming the field, nothing stored', async (_name, json, field) => {
    const before = h.state.snapshot();
    const got = await preload(json);
    expect(got.status).toBe(422);
    expect(Object.keys(got.body.errors)).toEqual([field]);
    expect(h.state.snapshot()).toBe(before);
  });

  test.each([
    ['malformed JSON', { body: '{"client_id":', headers: { 'content-type': 'application/json' } }, 400],
    [
      'not JSON',
      { body: 'client_id=sm_test_full&count=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      415,
    ],
  ])('%s -> %i, nothing stored', async (_name, sent, status) => {
    const before = h.state.snapshot();
    expect((await h.call('/_sandbox/orders/preload', { method: 'POST', ...sent })).status).toBe(status);
    expect(h.state.snapshot()).toBe(before);
  });

  test("a call that would take the bulk-loaded orders over the sandbox's bound is 409 and stores nothing; up to it is fine", async () => {
    await withFreshSandbox(async (fresh) => {
      // Seeded rather than loaded: storing the whole bound would take seconds and gigabytes.
      preloadLedger(fresh.state).total = TOTAL - 2;
      const before = fresh.state.snapshot();
      const over = await fresh.call('/_sandbox/orders/preload', { json: { client_id: 'sm_test_full', count: 3 } });
      expect(over.status).toBe(409);
      expect(over.body.message).toContain(String(TOTAL));
      expect(fresh.state.snapshot()).toBe(before);
      const upTo = await fresh.call('/_sandbox/orders/preload', { json: { client_id: 'sm_test_full', count: 2 } });
      expect(upTo.body.data.preloaded_total).toBe(TOTAL);
      expect(
        (await fresh.call('/_sandbox/orders/preload', { json: { client_id: 'sm_test_full', count: 1 } })).status,
      ).toBe(409);
    });
  });

  test('a reference the partner already uses is 409, nothing stored, and the next call takes fresh references', async () => {
    await withFreshSandbox(async (fresh) => {
      await fresh.createOrder(clearanceOrder({ order_id: 'x', parcels: [{ item_id: 'preload1-2' }] }));
      const before = fresh.state.snapshot();
      const taken = await fresh.call('/_sandbox/orders/preload', { json: { client_id: 'sm_test_full', count: 3 } });
      expect(taken.status).toBe(409);
      expect(taken.body.message).toContain('preload1-2');
      expect(fresh.state.snapshot()).toBe(before);
      const next = await fresh.call('/_sandbox/orders/preload', { json: { client_id: 'sm_test_full', count: 3 } });
      expect(next.status).toBe(201);
      expect((await fresh.call('/api/v1/orders/preload2-3', { token: await fresh.token('sm_test_full') })).status).toBe(
        200,
      );
    });
  });
});
