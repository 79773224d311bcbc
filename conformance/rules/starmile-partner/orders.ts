// Checks of creating and reading orders: what a 201 returns, what reads back, echoes and auto-fills.

import type { Service } from '../../../contract/starmile-partner.ts';
import { operationFacts } from '../../../contract/starmile-partner.ts';
import { expect } from '../../src/expect.ts';
import { answer, at, FULL, fresh, fx, json, kept, request, response } from '../../src/fault-kit.ts';
import { ECHO_IN_201, EMPTY_IS_NULL, SERVICE_ID_IS_ID } from './designed.ts';
import {
  cancelAfter,
  created,
  createOrder,
  deliveryTypeOf,
  eachParcelHas,
  expectError,
  expectStatus,
  feedOf,
  getOrder,
  homeOrder,
  judgedIn,
  mark,
  on,
  orderOfType,
  parcel,
  product,
  readOrder,
  serviceKey,
  updateParcel,
} from './lib.ts';
import { defaults } from './limits.ts';
import { designed, ORDER, rule, S001, seed } from './meta.ts';
import { realm } from './spec.ts';

rule({
  id: 'ORD-CREATE',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'create'],
  title:
    'A valid order is 201 with its tracking number as order_id and one item per parcel (item_id, parcel_id); designed: external_parent_id echoes the order_id.',
  source: seed(S001, 'the 201 returns the order with its parcels'),
  fault: response(at.createOrder, (res) => {
    if (res.status === 201) res.json.data.external_parent_id = res.json.data.order_id;
  }),
  moreFaults: [
    {
      bug: 'the 201 lists only the first parcel',
      class: 'documented',
      fault: response(at.createOrder, (res) => {
        if (res.status === 201) res.json.data.items = res.json.data.items.slice(0, 1);
      }),
    },
  ],
  check: async (t) => {
    const body = homeOrder(t, { parcels: [parcel(t), parcel(t)] });
    const res = await createOrder(t, body);
    expectStatus(res, 201);
    const data = res.body.data;
    cancelAfter(t, data.order_id);
    on(res, () => {
      expect(data.order_id, "the tracking number is Starmile's, not the partner's order_id").not.toBe(body.order_id);
      expect(
        data.items.map((i) => i.item_id),
        'one item per parcel, in order, with its item_id',
      ).toEqual(body.parcels.map((p) => p.item_id));
      expect(new Set(data.items.map((i) => i.parcel_id)).size, 'each parcel has its own parcel_id').toBe(2);
    });
    t.designed(ECHO_IN_201, () =>
      on(res, () =>
        expect(data.external_parent_id, "external_parent_id echoes the partner's order_id").toBe(body.order_id),
      ),
    );
  },
});

rule({
  id: 'ORD-SERVICE-ID',
  level: 'MUST',
  operations: ['createOrder', 'listServices', 'getOrder'],
  tags: ['orders', 'create', 'services'],
  title:
    "An order names its service by the Service's own id from GET /api/v1/services (not its flow_definition_id), and reads back with that id.",
  source: designed(SERVICE_ID_IS_ID.designed, SERVICE_ID_IS_ID.specLocation, 'D1'),
  // The server reads service_id as a flow id (000's glossary): a Service's own id names no flow.
  fault: request(at.createOrder, (req) => {
    if (typeof req.json?.service_id !== 'number') return;
    const byFlow = fx.services.find(
      (s) => s.flow_definition_id === req.json.service_id && s.org_country_id === FULL.org_country_id,
    );
    req.json.service_id = byFlow?.id ?? 999_999_999;
  }),
  check: async (t) => {
    const list = await t.request<{ data: Service[] }>({ path: '/api/v1/services' });
    expectStatus(list, 200, 'listing the services');
    const home = list.body.data.find((s) => serviceKey(t)(s) === t.fixtures.services.homeDelivery);
    if (!home)
      throw Object.assign(
        new Error(`the home delivery service ${t.fixtures.services.homeDelivery} of the profile is not listed`),
        { exchange: list.exchange },
      );
    const res = await createOrder(t, homeOrder(t, { service_id: home.id }));
    if (res.status === 201) cancelAfter(t, res.body.data.order_id);
    expectStatus(res, 201, `an order naming service ${home.id} (flow ${home.flow_definition_id}) by its own id`);
    expect(
      (await readOrder(t, res.body.data.order_id)).service_id,
      'the order reads back with the service id it was sent',
    ).toBe(home.id);
  },
});

rule({
  id: 'ORD-READ-BACK',
  level: 'MUST',
  operations: ['getOrder'],
  tags: ['orders'],
  title: 'An order reads back by its own order_id and by its tracking number, with what was sent.',
  source: designed('Reading an order back.', ORDER, 'X2'),
  fault: answer(
    (r) => at.getOrder(r) && !/^SM\d+$/.test(r.path.split('/')[4] ?? ''),
    () => json(404, { message: 'No such order.' }),
  ),
  check: async (t) => {
    const body = homeOrder(t, {
      parcels: [parcel(t, { products: [product(), product({ name: 'Laces', quantity: 2, hs_code: '560790' })] })],
    });
    const order = await created(t, body);
    const byOwn = await getOrder(t, order.orderId);
    const byTracking = await getOrder(t, order.tracking);
    expectStatus(byOwn, 200, "by the partner's order_id");
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
      expect({
        item_id: p.item_id,
        merchant_tracking: p.merchant_tracking,
        package_type: p.package_type,
        weight_grams: p.weight_grams,
        length_mm: p.length_mm,
        width_mm: p.width_mm,
        height_mm: p.height_mm,
      }).toEqual({
        item_id: sent.item_id,
        merchant_tracking: sent.merchant_tracking,
        package_type: sent.package_type,
        weight_grams: sent.weight_grams,
        length_mm: sent.length_mm,
        width_mm: sent.width_mm,
        height_mm: sent.height_mm,
      });
      expect(p.products).toEqual(sent.products);
      expect(p.status).toBe('created');
    });
  },
});

rule({
  id: 'ORD-NOT-FOUND',
  level: 'MUST',
  operations: ['getOrder'],
  tags: ['orders'],
  title: 'An order that does not exist is 404.',
  source: designed('Reading an order back.', `${ORDER}/responses/404`, 'X2'),
  fault: response(at.getOrder, (res) =>
    res.status === 404
      ? json(
          403,
          { message: 'Forbidden.' },
          {
            'www-authenticate': `Bearer realm="${realm()}", error="insufficient_scope", scope="${operationFacts.getOrder.scopes[0]}"`,
          },
        )
      : undefined,
  ),
  check: async (t) => {
    expectError(t, await getOrder(t, t.ref('missing')), 404);
  },
});

rule({
  id: 'ORD-TRACKING-UNIQUE',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'create'],
  title: 'Each order gets its own tracking number and each parcel its own parcel_id.',
  source: seed(
    S001,
    'The order gets one Starmile tracking number — returned as order_id on create — and each parcel gets its own internally.',
  ),
  fault: response(at.createOrder, (res) => {
    if (res.status === 201 && res.json.data.items.length > 1)
      res.json.data.items[1].parcel_id = res.json.data.items[0].parcel_id;
  }),
  check: async (t) => {
    const [a, b] = await Promise.all([
      created(t, homeOrder(t, { parcels: [parcel(t), parcel(t)] })),
      created(t, homeOrder(t, { parcels: [parcel(t), parcel(t)] })),
    ]);
    expect(a.tracking, 'two orders, two tracking numbers').not.toBe(b.tracking);
    const ids = [...a.parcels, ...b.parcels].map((p) => p.parcel_id);
    expect(new Set(ids).size, `four parcels, four parcel_ids: ${ids.join(', ')}`).toBe(4);
  },
});

rule({
  id: 'ORD-ITEM-ID-ECHO',
  level: 'MUST',
  operations: ['createOrder', 'getOrder'],
  tags: ['orders', 'create'],
  title:
    'A sent item_id is echoed as partner_tracking; an omitted one leaves item_id null and partner_tracking empty; designed (D20): empty is null.',
  source: seed(
    S001,
    'item_id is your per-package reference — optional; when sent it is echoed back on the parcel as partner_tracking, and when omitted partner_tracking is left empty.',
    'D2',
  ),
  fault: response(at.getOrder, (res) => {
    for (const p of res.json?.data?.parcels ?? []) p.partner_tracking = null;
  }),
  check: async (t) => {
    const { item_id: _omitted, ...withoutItemId } = parcel(t);
    const body = homeOrder(t, { parcels: [parcel(t), withoutItemId] });
    const order = await created(t, body);
    expect(
      order.parcels.map((p) => p.item_id),
      'items[] echoes item_id, null when omitted',
    ).toEqual([body.parcels[0]!.item_id, null]);
    const read = await readOrder(t, order.tracking);
    const empty = (v: unknown) => (v === null || v === '' ? '(empty)' : v);
    expect(
      read.parcels.map((p) => [p.item_id, empty(p.partner_tracking)]),
      'partner_tracking echoes item_id, empty (null or "") when omitted',
    ).toEqual([
      [body.parcels[0]!.item_id, body.parcels[0]!.item_id],
      [null, '(empty)'],
    ]);
    t.designed(EMPTY_IS_NULL, () => expect(read.parcels[1]!.partner_tracking, '"left empty" is null').toBeNull());
  },
});

rule({
  id: 'ORD-MERCHANT-AUTOFILL',
  level: 'MUST',
  operations: ['createOrder', 'getOrder'],
  tags: ['orders', 'create'],
  title: "An omitted merchant_tracking is filled with the parcel's own tracking number.",
  source: seed(S001, 'omit it and Starmile fills it with the parcel’s own tracking number'),
  fault: request(at.createOrder, (req) => {
    for (const p of req.json?.parcels ?? []) p.merchant_tracking ??= fresh('AUTO');
  }),
  check: async (t) => {
    const { merchant_tracking: _omitted, ...withoutSticker } = parcel(t);
    const order = await created(t, homeOrder(t, { parcels: [withoutSticker] }));
    const read = await readOrder(t, order.tracking);
    expect(read.parcels[0]!.merchant_tracking, "merchant_tracking is the parcel's own tracking number").toBe(
      order.parcels[0]!.parcel_id,
    );
  },
});

rule({
  id: 'ORD-SHIPPING-COST',
  level: 'MUST',
  operations: ['createOrder', 'getOrder'],
  tags: ['orders', 'create'],
  title: 'A zero or omitted shipping_cost is stored as none (null); another value is stored.',
  source: seed(S001, 'A zero (or omitted) shipping cost is treated as none — the order stores no value'),
  fault: response(at.getOrder, (res) => {
    if (res.json?.data && res.json.data.shipping_cost === null) res.json.data.shipping_cost = 0;
  }),
  check: async (t) => {
    const { shipping_cost: _omitted, ...withoutCost } = homeOrder(t);
    const cases = [
      ['zero', homeOrder(t, { shipping_cost: 0 }), null],
      ['omitted', withoutCost, null],
      ['12.75', homeOrder(t, { shipping_cost: 12.75 }), 12.75],
    ] as const;
    for (const [what, body, want] of cases) {
      const order = await created(t, body);
      expect((await readOrder(t, order.tracking)).shipping_cost ?? null, `shipping_cost ${what}`).toBe(want);
    }
  },
});

/** The source of ORD-CONSOLIDATION, which quotes the message of its refusal. */
const CONSOLIDATION = seed(
  S001,
  'The chosen service must enable consolidation — otherwise the order is rejected 422 ("Consolidation is not enabled for this service.").',
);

rule({
  id: 'ORD-CONSOLIDATION',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'create', 'validation'],
  title: 'consolidation_required is accepted on a service that enables it and 422 (naming it) on one that does not.',
  source: CONSOLIDATION,
  fault: request(at.createOrder, (req) => void (req.json && delete req.json.consolidation_required)),
  check: async (t) => {
    const s = t.fixtures.services;
    const withIt = orderOfType(t, await deliveryTypeOf(t, s.withConsolidation), s.withConsolidation, {
      consolidation_required: true,
    });
    const order = await created(t, withIt);
    expect((await readOrder(t, order.tracking)).consolidation_required).toBe(true);
    const without = orderOfType(t, await deliveryTypeOf(t, s.withoutConsolidation), s.withoutConsolidation, {
      consolidation_required: true,
    });
    const res = await createOrder(t, without);
    expectError(t, res, 422, 'consolidation_required');
    on(res, (b: unknown) =>
      expect(JSON.stringify(b), 'the documented message').toContain(/\("([^"]+)"\)/.exec(CONSOLIDATION.quote)![1]),
    );
  },
});

rule({
  id: 'ORD-DEFAULTS',
  level: 'MUST',
  operations: ['createOrder', 'getOrder'],
  tags: ['orders', 'create'],
  title:
    'A field with a documented default (generated from the spec: a product quantity of 1) reads back with that default when omitted.',
  source: seed(S001, 'Quantity (default 1).'),
  // An omitted quantity is stored as no value instead of 1.
  fault: async (req, ctx) => {
    const omitted = kept(ctx, 'omitted', () => new Set<string>());
    if (at.createOrder(req))
      for (const p of req.json?.parcels ?? [])
        if (p.products?.some((x: any) => x.quantity === undefined)) omitted.add(p.item_id);
    const res = await ctx.upstream(req);
    if (at.getOrder(req))
      for (const p of res.json?.data?.parcels ?? [])
        if (omitted.has(p.item_id)) for (const x of p.products) if (x.quantity === 1) x.quantity = null;
    return res;
  },
  check: async (t) => {
    for (const d of defaults('CreateOrderRequest')) {
      const body = homeOrder(t);
      const keys = d.field.split('.');
      const parent = keys.slice(0, -1).reduce<any>((node, k) => node[k], body);
      delete parent[keys.at(-1)!];
      const order = await created(t, body);
      const read = await readOrder(t, order.tracking);
      const judge = () =>
        expect(
          keys.reduce<any>((node, k) => node?.[k], read),
          `${d.field} omitted reads back as its default`,
        ).toEqual(d.value);
      judgedIn(
        t,
        d.class === 'contract'
          ? {
              designed: `${d.field} defaults to ${JSON.stringify(d.value)}.`,
              specLocation: '/components/schemas/CreateOrderRequest',
            }
          : undefined,
        judge,
      );
    }
  },
});

/** Whether ISO timestamps carry fractions of a second, so two changes a few milliseconds apart must differ. */
const subSecond = (iso: string) => /\.\d+/.test(iso);
const later = (after: string, before: string, what: string) => {
  expect(Date.parse(after), `${what}: ${after} is not before ${before}`).toBeGreaterThanOrEqual(Date.parse(before));
  if (subSecond(before))
    expect(Date.parse(after), `${what}: moves on (${before} -> ${after})`).toBeGreaterThan(Date.parse(before));
};

rule({
  id: 'ORD-TIMESTAMPS',
  level: 'MUST',
  operations: ['getOrder', 'updateParcel', 'listChanges'],
  tags: ['orders', 'update', 'timestamps'],
  title:
    "An order's created_at never changes and is not after its updated_at; an update moves the order's and the parcel's updated_at forward; status pool entries are oldest first.",
  source: designed('Timestamps for reconciliation.', '/components/schemas/Order/properties/updated_at', 'X2'),
  // updated_at is written once, at creation.
  fault: async (req, ctx) => {
    const first = kept(ctx, 'first', () => new Map<string, string>());
    const res = await ctx.upstream(req);
    const freeze = (o: any, key: string) => {
      if (!o?.updated_at) return;
      if (!first.has(key)) first.set(key, o.updated_at);
      o.updated_at = first.get(key);
    };
    if (at.getOrder(req) && res.json?.data) {
      freeze(res.json.data, res.json.data.order_id);
      for (const p of res.json.data.parcels) freeze(p, p.parcel_id);
    }
    if (at.updateParcel(req) && res.json?.data) freeze(res.json.data, res.json.data.parcel_id);
    return res;
  },
  check: async (t) => {
    const since = await mark(t);
    const order = await created(t, homeOrder(t));
    const first = await readOrder(t, order.tracking);
    expect(Date.parse(first.created_at), 'created_at is not after updated_at').toBeLessThanOrEqual(
      Date.parse(first.updated_at),
    );
    // A change a few milliseconds later must show in timestamps that carry milliseconds.
    await new Promise((r) => setTimeout(r, 5));
    const res = await updateParcel(t, order.orderId, order.body.parcels[0]!.item_id!, { weight_grams: 2468 });
    expectStatus(res, 200, 'updating the parcel');
    on(res, (b) =>
      later(b.data.updated_at, first.parcels[0]!.updated_at, "the parcel's updated_at in the update's answer"),
    );
    const second = await readOrder(t, order.tracking);
    expect(second.created_at, 'created_at never changes').toBe(first.created_at);
    later(second.updated_at, first.updated_at, "the order's updated_at after an update");
    later(second.parcels[0]!.updated_at, first.parcels[0]!.updated_at, "the parcel's updated_at after an update");
    const entries = await feedOf(t, since, [order.tracking], eachParcelHas(order, 'created'));
    const times = entries.map((e) => Date.parse(e.occurred_at));
    expect(times, 'entries are oldest first').toEqual([...times].sort((a, b) => a - b));
  },
});
