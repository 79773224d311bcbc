// Checks of creating and reading orders: what a 201 returns, what reads back, echoes and auto-fills.
import { expect } from '../../src/expect.ts';
import { rule } from '../../src/define.ts';
import { cancelAfter, created, createOrder, deliveryTypeOf, expectError, expectStatus, getOrder, homeOrder, on, orderOfType, parcel, product, readOrder } from './lib.ts';

rule('ORD-CREATE', async (t) => {
  const body = homeOrder(t, { parcels: [parcel(t), parcel(t)] });
  const res = await createOrder(t, body);
  expectStatus(res, 201);
  const data = res.body.data;
  cancelAfter(t, data.order_id);
  on(res, () => {
    expect(data.order_id, 'the tracking number is Starmile\'s, not the partner\'s order_id').not.toBe(body.order_id);
    expect(data.external_parent_id, 'external_parent_id echoes the partner\'s order_id').toBe(body.order_id);
    expect(data.items.map((i) => i.item_id), 'one item per parcel, in order, with its item_id').toEqual(body.parcels.map((p) => p.item_id));
    expect(new Set(data.items.map((i) => i.parcel_id)).size, 'each parcel has its own parcel_id').toBe(2);
  });
});

rule('ORD-READ-BACK', async (t) => {
  const body = homeOrder(t, { parcels: [parcel(t, { products: [product(), product({ name: 'Laces', quantity: 2, hs_code: '560790' })] })] });
  const order = await created(t, body);
  const byOwn = await getOrder(t, order.orderId);
  const byTracking = await getOrder(t, order.tracking);
  expectStatus(byOwn, 200, 'by the partner\'s order_id');
  expectStatus(byTracking, 200, 'by the tracking number');
  on(byOwn, (b) => {
    const o = b.data;
    expect(byTracking.body.data, 'both addresses read the same order').toEqual(o);
    expect(o.order_id).toBe(order.tracking);
    expect(o.external_parent_id).toBe(body.order_id);
    expect(o.service_id).toBe(body.service_id);
    expect(o.status).toBe('created');
    expect([o.parent_region, o.region]).toEqual([body.parent_region, body.region]);
    expect(o.shipping_cost).toBe(body.shipping_cost);
    expect(o.consolidation_required).toBe(false);
    const sent = body.parcels[0]!;
    const p = o.parcels[0]!;
    expect(p.parcel_id).toBe(order.parcels[0]!.parcel_id);
    expect({ item_id: p.item_id, merchant_tracking: p.merchant_tracking, package_type: p.package_type, weight_grams: p.weight_grams, length_mm: p.length_mm, width_mm: p.width_mm, height_mm: p.height_mm }).toEqual({
      item_id: sent.item_id, merchant_tracking: sent.merchant_tracking, package_type: sent.package_type, weight_grams: sent.weight_grams, length_mm: sent.length_mm, width_mm: sent.width_mm, height_mm: sent.height_mm,
    });
    expect(p.products).toEqual(sent.products);
    expect(p.status).toBe('created');
  });
});

rule('ORD-NOT-FOUND', async (t) => {
  expectError(await getOrder(t, t.ref('missing')), 404);
});

rule('ORD-TRACKING-UNIQUE', async (t) => {
  const [a, b] = await Promise.all([created(t, homeOrder(t, { parcels: [parcel(t), parcel(t)] })), created(t, homeOrder(t, { parcels: [parcel(t), parcel(t)] }))]);
  expect(a.tracking, 'two orders, two tracking numbers').not.toBe(b.tracking);
  const ids = [...a.parcels, ...b.parcels].map((p) => p.parcel_id);
  expect(new Set(ids).size, `four parcels, four parcel_ids: ${ids.join(', ')}`).toBe(4);
});

rule('ORD-ITEM-ID-ECHO', async (t) => {
  const { item_id: _omitted, ...withoutItemId } = parcel(t);
  const body = homeOrder(t, { parcels: [parcel(t), withoutItemId] });
  const order = await created(t, body);
  expect(order.parcels.map((p) => p.item_id), 'items[] echoes item_id, null when omitted').toEqual([body.parcels[0]!.item_id, null]);
  const read = await readOrder(t, order.tracking);
  expect(read.parcels.map((p) => [p.item_id, p.partner_tracking]), 'partner_tracking echoes item_id, empty when omitted').toEqual([
    [body.parcels[0]!.item_id, body.parcels[0]!.item_id],
    [null, null],
  ]);
});

rule('ORD-MERCHANT-AUTOFILL', async (t) => {
  const { merchant_tracking: _omitted, ...withoutSticker } = parcel(t);
  const order = await created(t, homeOrder(t, { parcels: [withoutSticker] }));
  const read = await readOrder(t, order.tracking);
  expect(read.parcels[0]!.merchant_tracking, "merchant_tracking is the parcel's own tracking number").toBe(order.parcels[0]!.parcel_id);
});

rule('ORD-SHIPPING-COST', async (t) => {
  const { shipping_cost: _omitted, ...withoutCost } = homeOrder(t);
  const cases = [
    ['zero', homeOrder(t, { shipping_cost: 0 }), null],
    ['omitted', withoutCost, null],
    ['12.75', homeOrder(t, { shipping_cost: 12.75 }), 12.75],
  ] as const;
  for (const [what, body, want] of cases) {
    const order = await created(t, body);
    expect((await readOrder(t, order.tracking)).shipping_cost, `shipping_cost ${what}`).toBe(want);
  }
});

rule('ORD-CONSOLIDATION', async (t) => {
  const s = t.fixtures.services;
  const withIt = orderOfType(t, await deliveryTypeOf(t, s.withConsolidation), s.withConsolidation, { consolidation_required: true });
  const order = await created(t, withIt);
  expect((await readOrder(t, order.tracking)).consolidation_required).toBe(true);
  const without = orderOfType(t, await deliveryTypeOf(t, s.withoutConsolidation), s.withoutConsolidation, { consolidation_required: true });
  const res = await createOrder(t, without);
  expectError(res, 422, 'consolidation_required');
  on(res, (b: unknown) => expect(JSON.stringify(b), 'the documented message').toContain('Consolidation is not enabled for this service.'));
});
