// Reading, updating and cancelling orders: path references (D3), tenant isolation (X6), partial updates, 409 past the
// first step, idempotent cancel.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadSpec } from '../../contract/index.ts';
import { clearanceOrder, type Harness, homeOrder, startWithToken, unique } from './helpers.ts';

let h: Harness;
let token: string;
beforeAll(async () => {
  ({ h, token } = await startWithToken());
});
afterAll(() => h.close());

/** The longest cancellation reason the spec allows. */
const MAX_REASON = loadSpec('starmile-partner').components.schemas.CancelOrderRequest.properties.reason
  .maxLength as number;

type Made = Awaited<ReturnType<typeof newOrder>>;

async function newOrder(
  parcels: Record<string, unknown>[] = [
    { item_id: unique('PKG'), package_type: 'fragile', weight_grams: 500, products: [{ name: 'A' }, { name: 'B' }] },
  ],
) {
  const body = homeOrder({ parcels });
  const got = await h.createOrder(body);
  return {
    ref: body.order_id as string,
    tracking: got.body.data.order_id as string,
    items: got.body.data.items as { item_id: string | null; parcel_id: string }[],
  };
}

const advance = (parcelId: string, status = 'received') =>
  h.call(`/_sandbox/parcels/${parcelId}/advance`, { json: { status } });

describe('read back', () => {
  test('by the partner reference and by the tracking number, the same order', async () => {
    const o = await newOrder();
    const byRef = await h.call(`/api/v1/orders/${encodeURIComponent(o.ref)}`, { token });
    const byTracking = await h.call(`/api/v1/orders/${o.tracking}`, { token });
    expect(byRef.status).toBe(200);
    expect(byRef.body).toEqual(byTracking.body);
    expect(byRef.body.data).toMatchObject({
      order_id: o.tracking,
      external_parent_id: o.ref,
      status: 'created',
      region_status: 'mapped',
    });
  });

  test("another partner's order is 404 for read, update and cancel, by either reference", async () => {
    const o = await newOrder();
    const other = await h.token('sm_other_full');
    for (const ref of [o.ref, o.tracking]) {
      expect((await h.call(`/api/v1/orders/${ref}`, { token: other })).status).toBe(404);
      expect((await h.updateParcel(other, ref, o.items[0]!.parcel_id, { weight_grams: 1 })).status).toBe(404);
      expect((await h.call(`/api/v1/orders/${ref}/cancel`, { method: 'POST', token: other })).status).toBe(404);
    }
    const read = await h.call(`/api/v1/orders/${o.tracking}`, { token });
    expect(read.body.data).toMatchObject({ status: 'created' });
    expect(read.body.data.parcels[0].weight_grams).toBe(500);
  });

  // Decision X11: a reference shaped like a tracking number could stand for another order on the paths.
  test.each([
    ["order_id as another order's tracking number", (o: Made) => clearanceOrder({ order_id: o.tracking }), 'order_id'],
    [
      "order_id as another order's parcel id",
      (o: Made) => clearanceOrder({ order_id: o.items[0]!.parcel_id }),
      'order_id',
    ],
    [
      'order_id shaped like a tracking number not issued yet',
      () => clearanceOrder({ order_id: 'SM9999999999' }),
      'order_id',
    ],
    [
      "item_id as another parcel's id",
      (o: Made) => clearanceOrder({ parcels: [{ item_id: o.items[0]!.parcel_id }] }),
      'parcels.0.item_id',
    ],
    [
      'item_id shaped like an order tracking number',
      (o: Made) => clearanceOrder({ parcels: [{ item_id: o.tracking }] }),
      'parcels.0.item_id',
    ],
  ])('a reference shaped like a tracking number is refused: %s', async (_name, body, field) => {
    const first = await newOrder();
    const before = h.state.snapshot();
    const got = await h.call('/api/v1/orders', { token, json: body(first) });
    expect(got.status).toBe(422);
    expect(Object.keys(got.body.errors)).toEqual([field]);
    expect(got.body.errors[field].join(' ')).toMatch(/tracking number/);
    expect(h.state.snapshot()).toBe(before);
    // The tracking number still reaches the first order, for reading, updating and cancelling.
    expect((await h.call(`/api/v1/orders/${first.tracking}`, { token })).body.data.external_parent_id).toBe(first.ref);
    expect(
      (await h.updateParcel(token, first.tracking, first.items[0]!.parcel_id, { weight_grams: 7 })).body.data.parcel_id,
    ).toBe(first.items[0]!.parcel_id);
    expect(
      (await h.call(`/api/v1/orders/${first.tracking}/cancel`, { method: 'POST', token })).body.data.external_parent_id,
    ).toBe(first.ref);
  });

  test.each(['sm0000000001', 'SM00000000011', 'PO-SM0000000001', 'SM000000001'])(
    'a reference that only resembles a tracking number is accepted: %s',
    async (ref) => {
      const got = await h.createOrder(clearanceOrder({ order_id: ref, parcels: [{ item_id: `${ref}-PKG` }] }));
      expect(got.status).toBe(201);
    },
  );
});

describe('update a parcel', () => {
  test('partial: only the fields sent change; products replaces the list; addressed by item_id or parcel_id', async () => {
    const o = await newOrder();
    const { item_id, parcel_id } = o.items[0]!;
    const sticker = unique('STK');
    const got = await h.updateParcel(token, o.ref, item_id!, {
      merchant_tracking: sticker,
      products: [{ name: 'C', quantity: 2 }],
    });
    expect(got.status).toBe(200);
    expect(got.body.data).toMatchObject({
      merchant_tracking: sticker,
      package_type: 'fragile',
      weight_grams: 500,
      products: [{ name: 'C', quantity: 2 }],
    });
    const again = await h.updateParcel(token, o.tracking, parcel_id, { package_type: 'liquid' });
    expect(again.body.data).toMatchObject({
      merchant_tracking: sticker,
      package_type: 'liquid',
      products: [{ name: 'C', quantity: 2 }],
    });
  });

  test('a parcel without item_id is addressed by its parcel_id; a parcel of another order is 404', async () => {
    const o = await newOrder([{}]);
    const other = await newOrder();
    expect((await h.updateParcel(token, o.ref, o.items[0]!.parcel_id, { weight_grams: 10 })).status).toBe(200);
    expect((await h.updateParcel(token, o.ref, other.items[0]!.parcel_id, { weight_grams: 10 })).status).toBe(404);
    expect((await h.updateParcel(token, o.ref, other.items[0]!.item_id!, { weight_grams: 10 })).status).toBe(404);
  });

  test.each([
    ['unknown package_type', { package_type: 'heavy' }, 'package_type'],
    ['empty body', {}, 'body'],
    ['item_id cannot change', { item_id: 'X' }, 'item_id'],
    ['products empty', { products: [] }, 'products'],
    ['merchant_tracking null', { merchant_tracking: null }, 'merchant_tracking'],
  ])('%s -> 422 naming %s', async (_name, json, field) => {
    const o = await newOrder();
    const before = h.state.snapshot();
    const got = await h.updateParcel(token, o.ref, o.items[0]!.parcel_id, json);
    expect(got.status).toBe(422);
    expect(Object.keys(got.body.errors)).toContain(field);
    expect(h.state.snapshot()).toBe(before);
  });

  test("merchant_tracking already used by another parcel -> 422; the parcel's own value is fine", async () => {
    const a = await newOrder([{ merchant_tracking: unique('STK') }]);
    const b = await newOrder([{}]);
    const taken = (await h.call(`/api/v1/orders/${a.ref}`, { token })).body.data.parcels[0].merchant_tracking;
    const clash = await h.updateParcel(token, b.ref, b.items[0]!.parcel_id, { merchant_tracking: taken });
    expect(clash.status).toBe(422);
    expect(clash.body.errors).toHaveProperty('merchant_tracking');
    const same = await h.updateParcel(token, a.ref, a.items[0]!.parcel_id, { merchant_tracking: taken });
    expect(same.status).toBe(200);
  });

  test('409 once any parcel of the order is past its first step, and on a cancelled order', async () => {
    const o = await newOrder([{ item_id: unique('P') }, { item_id: unique('P') }]);
    expect((await advance(o.items[1]!.parcel_id)).status).toBe(200);
    const before = h.state.snapshot();
    const got = await h.updateParcel(token, o.ref, o.items[0]!.item_id!, { weight_grams: 9 });
    expect(got.status).toBe(409);
    expect(got.body.message).toMatch(/past its first step/);
    expect(h.state.snapshot()).toBe(before);

    const c = await newOrder();
    await h.call(`/api/v1/orders/${c.ref}/cancel`, { method: 'POST', token });
    expect((await h.updateParcel(token, c.ref, c.items[0]!.parcel_id, { weight_grams: 9 })).status).toBe(409);
  });
});

describe('cancel', () => {
  test('cancels with a reason; parcels cancelled; again is 200, unchanged, no new feed entry', async () => {
    const o = await newOrder();
    const got = await h.call(`/api/v1/orders/${o.ref}/cancel`, {
      method: 'POST',
      token,
      json: { reason: 'customer changed their mind' },
    });
    expect(got.status).toBe(200);
    expect(got.body.data).toMatchObject({ status: 'cancelled', cancellation_reason: 'customer changed their mind' });
    expect(got.body.data.parcels.map((p: { status: string }) => p.status)).toEqual(['cancelled']);
    const before = h.state.snapshot();
    const again = await h.call(`/api/v1/orders/${o.tracking}/cancel`, {
      method: 'POST',
      token,
      json: { reason: 'other' },
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(got.body);
    expect(h.state.snapshot()).toBe(before);
  });

  test('without a body', async () => {
    const o = await newOrder();
    const got = await h.call(`/api/v1/orders/${o.ref}/cancel`, { method: 'POST', token });
    expect(got.status).toBe(200);
    expect(got.body.data.cancellation_reason).toBeNull();
  });

  test('409 once a parcel is past its first step; nothing changes', async () => {
    const o = await newOrder();
    await advance(o.items[0]!.parcel_id, 'picked_up');
    const before = h.state.snapshot();
    const got = await h.call(`/api/v1/orders/${o.ref}/cancel`, { method: 'POST', token });
    expect(got.status).toBe(409);
    expect(h.state.snapshot()).toBe(before);
  });

  test(`reason over ${MAX_REASON} characters -> 422 reason`, async () => {
    const o = await newOrder();
    const got = await h.call(`/api/v1/orders/${o.ref}/cancel`, {
      method: 'POST',
      token,
      json: { reason: 'x'.repeat(MAX_REASON + 1) },
    });
    expect(got.status).toBe(422);
    expect(got.body.errors).toHaveProperty('reason');
  });
});

describe('derived order status', () => {
  test('created -> in_progress -> delivered as parcels move', async () => {
    const o = await newOrder([{ item_id: unique('P') }, { item_id: unique('P') }]);
    const status = async () => (await h.call(`/api/v1/orders/${o.ref}`, { token })).body.data.status;
    expect(await status()).toBe('created');
    await advance(o.items[0]!.parcel_id, 'delivered');
    expect(await status()).toBe('in_progress');
    await advance(o.items[1]!.parcel_id, 'delivered');
    expect(await status()).toBe('delivered');
  });
});
