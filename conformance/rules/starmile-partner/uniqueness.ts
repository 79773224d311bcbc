// Checks that the partner's references are unique across orders, within an order, after cancel, under concurrency and
// on update (D5).

import { fill } from '../../../contract/messages.ts';
import { messages } from '../../../contract/starmile-partner.ts';
import { expect } from '../../src/expect.ts';
import { at, fresh, json, kept, noUniqueAcross, noUniqueWithin, remember, request, seen } from '../../src/fault-kit.ts';
import {
  cancelAfter,
  cancelled,
  created,
  createOrder,
  expectError,
  expectStickerKept,
  getOrder,
  homeOrder,
  on,
  parcel,
  readOrder,
  updateParcel,
} from './lib.ts';
import { designed, ORDERS, PARCEL, rule, S001, seed } from './meta.ts';

rule({
  id: 'UNIQ-ORDER-ID',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'uniqueness'],
  title: 'Re-sending an order_id already used is 422 and no second order exists; designed: naming order_id.',
  source: seed(
    S001,
    'Your own references must be unique — your order_id, each parcel’s item_id, and each merchant_tracking.',
    'D5',
  ),
  fault: noUniqueAcross('order_id'),
  check: async (t) => {
    const first = await created(t, homeOrder(t));
    expectError(t, await createOrder(t, first.body), 422, 'order_id', 're-sending the same order');
    expectError(
      t,
      await createOrder(t, homeOrder(t, { order_id: first.orderId })),
      422,
      'order_id',
      'a new order with a used order_id',
    );
    on(await getOrder(t, first.orderId), (b) =>
      expect(b.data.order_id, 'the order_id still finds the first order').toBe(first.tracking),
    );
  },
});

/** The parcel references unique per partner (D5): each reused on another order, and repeated within one order. */
const PARCEL_REFERENCES: [id: string, field: 'item_id' | 'merchant_tracking', where: 'across' | 'within'][] = [
  ['UNIQ-ITEM-ID-ACROSS', 'item_id', 'across'],
  ['UNIQ-MERCHANT-ACROSS', 'merchant_tracking', 'across'],
  ['UNIQ-ITEM-ID-WITHIN', 'item_id', 'within'],
  ['UNIQ-MERCHANT-WITHIN', 'merchant_tracking', 'within'],
];

for (const [id, field, where] of PARCEL_REFERENCES) {
  const a = field === 'item_id' ? 'An' : 'A';
  rule({
    id,
    level: 'MUST',
    operations: ['createOrder'],
    tags: ['orders', 'uniqueness'],
    title:
      where === 'across'
        ? `${a} ${field} used on another order is 422; designed: naming parcels.N.${field}.`
        : `${a} ${field} repeated across parcels of one order is 422; designed: naming the repeat.`,
    source:
      where === 'across'
        ? seed(S001, 'Reusing one that already exists', 'D5')
        : seed(S001, 'repeating an item_id / merchant_tracking across parcels in the same order', 'D5'),
    fault: where === 'across' ? noUniqueAcross(field) : noUniqueWithin(field),
    check: async (t) => {
      if (where === 'across') {
        const first = await created(t, homeOrder(t));
        expectError(
          t,
          await createOrder(t, homeOrder(t, { parcels: [parcel(t, { [field]: first.body.parcels[0]![field]! })] })),
          422,
          `parcels.0.${field}`,
        );
        return;
      }
      const ref = t.ref(field === 'item_id' ? 'i' : 'm');
      expectError(
        t,
        await createOrder(t, homeOrder(t, { parcels: [parcel(t, { [field]: ref }), parcel(t, { [field]: ref })] })),
        422,
        new RegExp(`^parcels\\.[01]\\.${field}$`),
      );
      // Nothing was stored: the reference is still free.
      await created(t, homeOrder(t, { parcels: [parcel(t, { [field]: ref })] }));
    },
  });
}

rule({
  id: 'UNIQ-CANCELLED',
  level: 'MUST',
  operations: ['createOrder', 'cancelOrder'],
  tags: ['orders', 'uniqueness', 'cancel'],
  title: "A cancelled order's references stay taken.",
  // Whether a cancelled order's references still "exist" is D5's choice, not the documents' (C33): the rule is in the
  // contract class. What the quote itself says (a live order's references are refused) is UNIQ-ORDER-ID's and
  // UNIQ-ITEM-ID-ACROSS's.
  source: designed(
    "A cancelled order's order_id, item_id and merchant_tracking stay taken (unique across all orders, cancelled ones included), so re-sending an order never creates a duplicate.",
    `${ORDERS}/responses/422`,
    'D5',
  ),
  fault: async (req, ctx) => {
    const freed = kept(ctx, 'freed', () => new Set<string>());
    if (at.createOrder(req) && req.json) {
      if (freed.has(req.json.order_id)) req.json.order_id = fresh(req.json.order_id);
      for (const p of req.json.parcels ?? [])
        for (const k of ['item_id', 'merchant_tracking']) if (freed.has(p[k])) p[k] = fresh(p[k]);
    }
    const res = await ctx.upstream(req);
    if (at.cancelOrder(req) && res.status === 200) {
      freed.add(res.json.data.external_parent_id);
      for (const p of res.json.data.parcels)
        for (const r of [p.item_id, p.merchant_tracking] as (string | null)[]) if (r) freed.add(r);
    }
    return res;
  },
  check: async (t) => {
    const first = await created(t, homeOrder(t));
    await cancelled(t, first);
    const sent = first.body.parcels[0]!;
    expectError(
      t,
      await createOrder(t, homeOrder(t, { order_id: first.orderId })),
      422,
      'order_id',
      "a cancelled order's order_id",
    );
    expectError(
      t,
      await createOrder(t, homeOrder(t, { parcels: [parcel(t, { item_id: sent.item_id! })] })),
      422,
      'parcels.0.item_id',
      "a cancelled order's item_id",
    );
    expectError(
      t,
      await createOrder(t, homeOrder(t, { parcels: [parcel(t, { merchant_tracking: sent.merchant_tracking! })] })),
      422,
      'parcels.0.merchant_tracking',
      "a cancelled order's merchant_tracking",
    );
  },
});

rule({
  id: 'UNIQ-AUTOFILLED',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'uniqueness'],
  title: 'An auto-filled merchant_tracking counts as used.',
  source: designed('An auto-filled sticker code is a sticker code.', `${ORDERS}/description`, 'D5'),
  fault: request(at.createOrder, (req) => {
    for (const p of req.json?.parcels ?? [])
      if (/^SP\d+$/.test(p.merchant_tracking ?? '')) p.merchant_tracking = fresh(p.merchant_tracking);
  }),
  check: async (t) => {
    const { merchant_tracking: _omitted, ...withoutSticker } = parcel(t);
    const first = await created(t, homeOrder(t, { parcels: [withoutSticker] }));
    const filled = (await readOrder(t, first.tracking)).parcels[0]!.merchant_tracking;
    expectError(
      t,
      await createOrder(t, homeOrder(t, { parcels: [parcel(t, { merchant_tracking: filled })] })),
      422,
      'parcels.0.merchant_tracking',
      'an auto-filled merchant_tracking',
    );
  },
});

rule({
  id: 'UNIQ-CONCURRENT',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'uniqueness', 'concurrency'],
  title: 'Concurrent creates with the same references make exactly one order; the others are 422.',
  source: seed(S001, 'is rejected 422 with a message, so re-sending an order never creates a duplicate.', 'D5'),
  fault: async (req, ctx) => {
    // A check-then-insert race: references of creates still in flight are not seen as used.
    const inFlight = kept(ctx, 'inFlight', () => new Set<string>());
    if (!at.createOrder(req) || !req.json) return ctx.upstream(req);
    if (inFlight.has(req.json.order_id)) req.json.order_id = fresh(req.json.order_id);
    for (const p of req.json.parcels ?? []) if (inFlight.has(`item:${p.item_id}`)) p.item_id = fresh(p.item_id);
    const keys = [req.json.order_id, ...(req.json.parcels ?? []).map((p: any) => `item:${p.item_id}`)];
    for (const k of keys) inFlight.add(k);
    await new Promise((r) => setTimeout(r, 20));
    try {
      return await ctx.upstream(req);
    } finally {
      for (const k of keys) inFlight.delete(k);
    }
  },
  check: async (t) => {
    const attempts = 8;
    for (const [what, bodies, field] of [
      [
        'the same order sent 8 times at once',
        (() => {
          const b = homeOrder(t);
          return Array.from({ length: attempts }, () => b);
        })(),
        'order_id',
      ],
      [
        '8 orders sharing one item_id at once',
        (() => {
          const item = t.ref('i');
          return Array.from({ length: attempts }, () => homeOrder(t, { parcels: [parcel(t, { item_id: item })] }));
        })(),
        'parcels.0.item_id',
      ],
    ] as const) {
      const results = await Promise.all(bodies.map((b) => createOrder(t, b)));
      const winners = results.filter((r) => r.status === 201);
      for (const w of winners) cancelAfter(t, w.body.data.order_id);
      expect(winners.length, `${what}: exactly one is created`).toBe(1);
      for (const r of results.filter((x) => x.status !== 201)) expectError(t, r, 422, field, what);
    }
  },
});

rule({
  id: 'UNIQ-UPDATE',
  level: 'MUST',
  operations: ['updateParcel'],
  tags: ['update', 'uniqueness'],
  title: 'Setting a merchant_tracking already in use through an update is 422 naming merchant_tracking.',
  source: designed('The same uniqueness on update.', `${PARCEL}/responses/422`, 'D5'),
  fault: request(at.updateParcel, (req) => {
    if (req.json?.merchant_tracking) req.json.merchant_tracking = fresh(req.json.merchant_tracking);
  }),
  check: async (t) => {
    const [a, b] = await Promise.all([created(t, homeOrder(t)), created(t, homeOrder(t))]);
    const taken = a.body.parcels[0]!.merchant_tracking!;
    expectError(
      t,
      await updateParcel(t, b.orderId, b.body.parcels[0]!.item_id!, { merchant_tracking: taken }),
      422,
      'merchant_tracking',
    );
    await expectStickerKept(t, b, 'the parcel kept its sticker');
  },
});

rule({
  id: 'UNIQ-NAMESPACES',
  level: 'SHOULD',
  operations: ['createOrder'],
  tags: ['orders', 'uniqueness'],
  title:
    'order_id, item_id and merchant_tracking are separate namespaces: an item_id equal to an existing merchant_tracking is accepted.',
  source: designed('Each kind of reference is its own namespace.', `${ORDERS}/description`, 'D5'),
  fault: async (req, ctx) => {
    if (at.createOrder(req) && req.json?.parcels?.some((p: any) => seen(ctx, 'merchant_tracking').has(p.item_id)))
      return json(422, {
        message: fill(messages.referenceUsed, { field: 'item_id' }),
        errors: { 'parcels.0.item_id': [fill(messages.referenceUsed, { field: 'item_id' })] },
      });
    const res = await ctx.upstream(req);
    if (at.createOrder(req) && req.json) remember('merchant_tracking')(res, req, ctx);
    return res;
  },
  check: async (t) => {
    const first = await created(t, homeOrder(t));
    const sticker = first.body.parcels[0]!.merchant_tracking!;
    await created(
      t,
      homeOrder(t, { order_id: first.body.parcels[0]!.item_id!, parcels: [parcel(t, { item_id: sticker })] }),
    );
  },
});
