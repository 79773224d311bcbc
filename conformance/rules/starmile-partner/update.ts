// Checks of updating a parcel: partial update, products replacement, addressing, 409 past the first step or after cancel, 422, 404.
import { expect } from '../../src/expect.ts';
import { designed, PARCEL, rule, S001, seed } from './meta.ts';
import { advance, cancelled, created, expectError, expectStatus, homeOrder, on, parcel, product, readOrder, updateParcel } from './lib.ts';

rule({
  id: 'UPD-PARTIAL',
  level: 'MUST',
  operations: ['updateParcel'],
  tags: ['update'],
  title: 'Only the fields sent change.',
  source: seed(S001, 'Partial: only the fields you send change'),
  check: async (t) => {
    const order = await created(t, homeOrder(t));
    const sent = order.body.parcels[0]!;
    const sticker = t.ref('m');
    const res = await updateParcel(t, order.orderId, sent.item_id!, { merchant_tracking: sticker });
    expectStatus(res, 200);
    const unchanged = { package_type: sent.package_type, weight_grams: sent.weight_grams, length_mm: sent.length_mm, width_mm: sent.width_mm, height_mm: sent.height_mm, products: sent.products };
    on(res, (b) => expect({ merchant_tracking: b.data.merchant_tracking, package_type: b.data.package_type, weight_grams: b.data.weight_grams, length_mm: b.data.length_mm, width_mm: b.data.width_mm, height_mm: b.data.height_mm, products: b.data.products }).toEqual({ merchant_tracking: sticker, ...unchanged }));
    const second = await updateParcel(t, order.orderId, sent.item_id!, { weight_grams: 2222 });
    expectStatus(second, 200);
    const p = (await readOrder(t, order.tracking)).parcels[0]!;
    expect({ merchant_tracking: p.merchant_tracking, weight_grams: p.weight_grams, package_type: p.package_type, products: p.products }, 'read back after two partial updates').toEqual({
      merchant_tracking: sticker, weight_grams: 2222, package_type: sent.package_type, products: sent.products,
    });
  },
});

rule({
  id: 'UPD-PRODUCTS-REPLACE',
  level: 'MUST',
  operations: ['updateParcel'],
  tags: ['update'],
  title: 'products, when sent, replaces the whole list.',
  source: seed(S001, 'products, when sent, replaces the whole list.'),
  check: async (t) => {
    const order = await created(t, homeOrder(t, { parcels: [parcel(t, { products: [product(), product({ name: 'Laces', hs_code: '560790', quantity: 3 })] })] }));
    const replacement = [product({ name: 'Olive oil 1L', hs_code: '150910', declared_value: 18, quantity: 2, weight_grams: 1000 })];
    const res = await updateParcel(t, order.orderId, order.body.parcels[0]!.item_id!, { products: replacement });
    expectStatus(res, 200);
    on(res, (b) => expect(b.data.products, 'the whole list is replaced').toEqual(replacement));
    expect((await readOrder(t, order.tracking)).parcels[0]!.products, 'read back').toEqual(replacement);
  },
});

rule({
  id: 'UPD-ADDRESSING',
  level: 'MUST',
  operations: ['updateParcel'],
  tags: ['update'],
  title: "A parcel is addressed by the partner's order_id and item_id, or by the tracking number and parcel_id.",
  source: seed(S001, 'The path uses your own references: order_idthen the parcel’s item_id.', 'D3'),
  check: async (t) => {
    const { item_id: _none, ...anonymous } = parcel(t);
    const order = await created(t, homeOrder(t, { parcels: [parcel(t), anonymous] }));
    const [named, unnamed] = order.parcels as [{ item_id: string; parcel_id: string }, { parcel_id: string }];
    for (const [what, orderRef, parcelRef, grams] of [
      ["order_id and item_id", order.orderId, named.item_id, 1501],
      ['tracking number and parcel_id', order.tracking, named.parcel_id, 1502],
      ["order_id and parcel_id", order.orderId, named.parcel_id, 1503],
      ['a parcel sent without item_id, by its parcel_id', order.orderId, unnamed.parcel_id, 1504],
    ] as const) {
      const res = await updateParcel(t, orderRef, parcelRef, { weight_grams: grams });
      expectStatus(res, 200, what);
      on(res, (b) => expect(b.data.weight_grams, what).toBe(grams));
    }
  },
});

rule({
  id: 'UPD-409-PAST-FIRST-STEP',
  level: 'MUST',
  operations: ['updateParcel'],
  tags: ['update', 'lifecycle'],
  title: 'Once a parcel moved past the first step, an update is 409 and changes nothing.',
  source: seed(S001, 'Once the order has moved past its first step (for example the parcel has been received at the hub) the update is rejected 409.'),
  hooks: ['advanceParcel'],
  check: async (t) => {
    t.needHook('advanceParcel');
    const order = await created(t, homeOrder(t));
    await advance(t, order, order.parcels[0]!.parcel_id);
    expectError(t, await updateParcel(t, order.orderId, order.body.parcels[0]!.item_id!, { merchant_tracking: t.ref('m') }), 409);
    expect((await readOrder(t, order.tracking)).parcels[0]!.merchant_tracking, 'nothing changed').toBe(order.body.parcels[0]!.merchant_tracking);
  },
});

rule({
  id: 'UPD-409-CANCELLED',
  level: 'MUST',
  operations: ['updateParcel'],
  tags: ['update', 'cancel'],
  title: 'Updating a parcel of a cancelled order is 409.',
  source: designed('A cancelled order is final.', `${PARCEL}/responses/409`, 'X3'),
  check: async (t) => {
    const order = await created(t, homeOrder(t));
    await cancelled(t, order);
    expectError(t, await updateParcel(t, order.orderId, order.body.parcels[0]!.item_id!, { weight_grams: 999 }), 409);
  },
});

rule({
  id: 'UPD-422-INVALID',
  level: 'MUST',
  operations: ['updateParcel'],
  tags: ['update', 'validation'],
  title: 'An empty body, an unknown field or a field out of range is 422 naming it, and changes nothing.',
  source: designed('The same limits as on creation.', `${PARCEL}/responses/422`, 'D14'),
  check: async (t) => {
    const order = await created(t, homeOrder(t));
    const item = order.body.parcels[0]!.item_id!;
    const empty = await updateParcel(t, order.orderId, item, {});
    expectError(t, empty, 422, undefined, 'an empty update');
    for (const [what, body, field] of [
      ['an undefined field', { merchant_traking: 'typo' }, 'merchant_traking'],
      ['package_type outside the enum', { package_type: 'heavy' }, 'package_type'],
      ['weight_grams zero', { weight_grams: 0 }, 'weight_grams'],
      ['an empty products list', { products: [] }, 'products'],
      ['merchant_tracking over 255', { merchant_tracking: 'x'.repeat(256) }, 'merchant_tracking'],
    ] as const)
      expectError(t, await updateParcel(t, order.orderId, item, body), 422, field, what);
    const p = (await readOrder(t, order.tracking)).parcels[0]!;
    const sent = order.body.parcels[0]!;
    expect([p.merchant_tracking, p.package_type, p.weight_grams, p.products], 'nothing changed').toEqual([sent.merchant_tracking, sent.package_type, sent.weight_grams, sent.products]);
  },
});

rule({
  id: 'UPD-NOT-FOUND',
  level: 'MUST',
  operations: ['updateParcel'],
  tags: ['update'],
  title: 'An unknown order or parcel is 404.',
  source: designed('Addressing by references.', `${PARCEL}/responses/404`, 'D3'),
  check: async (t) => {
    const order = await created(t, homeOrder(t));
    expectError(t, await updateParcel(t, order.orderId, t.ref('nope'), { weight_grams: 1000 }), 404, undefined, 'an unknown parcel');
    expectError(t, await updateParcel(t, t.ref('nope'), order.body.parcels[0]!.item_id!, { weight_grams: 1000 }), 404, undefined, 'an unknown order');
  },
});
