// The refusals of order creation: each case starts from a valid body, breaks exactly one thing, and expects it refused
// and the field it broke named; the bounds are generated from the spec.

import { fill } from '../../../contract/messages.ts';
import type { CreateOrderRequest, Service } from '../../../contract/starmile-partner.ts';
import { messages } from '../../../contract/starmile-partner.ts';
import type { DesignedPart, RuleContext } from '../../src/context.ts';
import { NotVerified } from '../../src/define.ts';
import { expect } from '../../src/expect.ts';
import {
  answer,
  at,
  FULL,
  fresh,
  fx,
  HOME,
  json,
  kept,
  MAPPED,
  PUDO_POINT,
  request,
  response,
} from '../../src/fault-kit.ts';
import type { Res } from '../../src/http.ts';
import { thousands } from '../../src/numbers.ts';
import { MISPLACED_LOCKER } from './designed.ts';
import {
  asError,
  cancelAfter,
  created,
  createOrder,
  errorListBound,
  expectError,
  expectRejected,
  expectStatus,
  getOrder,
  homeOrder,
  judgedIn,
  on,
  orderOfType,
  parcel,
  product,
  serviceKey,
} from './lib.ts';
import { type LimitCase, limitCases, rounds, withValues } from './limits.ts';
import { designed, ORDERS, rule, S001, S003, seed } from './meta.ts';
import { property, reservedReference } from './spec.ts';

type Body = Record<string, any>;
/**
 * A broken body, the field it broke, and the designed part the case rests on when the rule's own source does not state
 * it.
 */
type Case = [what: string, build: (t: RuleContext) => Body, field: string | RegExp, part?: DesignedPart];

/**
 * Sends each broken body (side by side) and expects it refused naming its field. `status422` says the rule's source
 * states the 422 (a destination, a service without rate); otherwise a refusal is in the rule's class and its 422 designed.
 */
async function rejects(t: RuleContext, cases: Case[], status422: 'stated' | 'designed'): Promise<void> {
  const results = await Promise.all(
    cases.map(async ([what, build, field, part]) => ({ what, field, part, res: await createOrder(t, build(t)) })),
  );
  for (const { what, field, part, res } of results) {
    // A wrongly accepted order must not stay behind.
    if (res.status === 201) cancelAfter(t, (res.body as any).data.order_id);
    const judge = () =>
      status422 === 'stated' ? expectError(t, res, 422, field, what) : expectRejected(t, res, 422, field, what);
    judgedIn(t, part, judge);
  }
}

const without = (body: CreateOrderRequest, ...keys: string[]): Body =>
  Object.fromEntries(Object.entries(body).filter(([k]) => !keys.includes(k)));
const withParcel = (t: RuleContext, over: Body): Body => homeOrder(t, { parcels: [{ ...parcel(t), ...over } as any] });
/** The bounds the faults of ORD-422-FIELD-LIMITS break, as the spec states them. */
const NOTES_MAX = property('CreateOrderRequest', 'notes').maxLength as number;
const COST_MAX = property('CreateOrderRequest', 'shipping_cost').maximum as number;
const ORDER_ID_MAX = property('CreateOrderRequest', 'order_id').maxLength as number;

rule({
  id: 'ORD-422-SERVICE-UNKNOWN',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'validation'],
  title: 'A service_id that is no service of the partner is refused; designed: 422 naming service_id.',
  source: seed(S001, 'Must be published for your partner in this warehouse.'),
  fault: request(at.createOrder, (req) => {
    if (req.json?.service_id === 999_999_999) req.json.service_id = HOME.id;
  }),
  check: async (t) =>
    rejects(
      t,
      [['a service_id that is no service', (t) => homeOrder(t, { service_id: 999_999_999 }), 'service_id']],
      'designed',
    ),
});

rule({
  id: 'ORD-422-SERVICE-UNRATED',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'validation', 'services'],
  title: 'A published service without an active rate is 422; designed: naming service_id.',
  source: seed(
    S003,
    'A service you have no rate for is not returned, and creating an order against it is rejected 422.',
  ),
  fault: request(at.createOrder, (req) => {
    if (req.json?.service_id === fx.services.find((s) => s.flow_definition_id === 17)!.id)
      req.json.service_id = HOME.id;
  }),
  check: async (t) =>
    rejects(
      t,
      [
        [
          'a service without an active rate',
          (t) => homeOrder(t, { service_id: t.fixtures.services.unrated }),
          'service_id',
        ],
      ],
      'stated',
    ),
});

rule({
  id: 'ORD-422-SERVICE-OTHER-WAREHOUSE',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'validation', 'services'],
  title: 'A service of another warehouse is 422 naming service_id.',
  source: designed("The service must be published in the credential's warehouse.", `${ORDERS}/description`),
  fixtures: ['otherWarehouse'],
  fault: request(at.createOrder, (req) => {
    if (fx.services.some((s) => s.id === req.json?.service_id && s.org_country_id !== FULL.org_country_id))
      req.json.service_id = HOME.id;
  }),
  check: async (t) => {
    t.needFixture('otherWarehouse');
    const other = t.fixtures.services.otherWarehouse!;
    // With flow ids as service_id, one flow may run in both warehouses: then the value names a service of this one too.
    const mine = await t.request<{ data: Service[] }>({ path: '/api/v1/services' });
    expectStatus(mine, 200, 'listing the services');
    if (mine.body.data.some((s) => serviceKey(t)(s) === other))
      throw new NotVerified(
        `service_id ${other} also names a service of this warehouse (${t.profile.serviceIdCarries}), so no order can name only the other warehouse's`,
      );
    await rejects(
      t,
      [["another warehouse's service", (t) => homeOrder(t, { service_id: other }), 'service_id']],
      'designed',
    );
  },
});

rule({
  id: 'ORD-422-REGION-MISSING',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'validation', 'region'],
  title: 'A home delivery order without parent_region or region is 422; designed: naming the missing field.',
  source: seed(S001, 'A missing or invalid destination is rejected 422 with a message.'),
  fault: request(at.createOrder, (req) => {
    if (req.json?.service_id !== HOME.id) return;
    req.json.parent_region ??= MAPPED.parent_region;
    req.json.region ??= MAPPED.region;
  }),
  check: async (t) =>
    rejects(
      t,
      [
        ['home delivery without parent_region', (t) => without(homeOrder(t), 'parent_region'), 'parent_region'],
        ['home delivery without region', (t) => without(homeOrder(t), 'region'), 'region'],
      ],
      'stated',
    ),
});

rule({
  id: 'ORD-422-PUDO-MISSING',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'validation', 'pudo'],
  title:
    'A PUDO order without pudo_id is 422 ("A missing or invalid destination is rejected 422"); designed: naming pudo_id, and the same for a locker (D12).',
  source: seed(S001, 'Required for a pudo-channel service', 'D12'),
  fault: request(at.createOrder, (req) => {
    const type = fx.services.find((s) => s.id === req.json?.service_id)?.delivery_type;
    if ((type === 'pudo' || type === 'locker') && req.json.pudo_id === undefined)
      req.json.pudo_id = fx.pudo_points.find((p) => p.kind === type)!.pudo_id;
  }),
  check: async (t) =>
    rejects(
      t,
      [
        ['PUDO without pudo_id', (t) => without(orderOfType(t, 'pudo'), 'pudo_id'), 'pudo_id'],
        ['locker without pudo_id', (t) => without(orderOfType(t, 'locker'), 'pudo_id'), 'pudo_id', MISPLACED_LOCKER],
      ],
      'stated',
    ),
});

rule({
  id: 'ORD-422-PUDO-UNKNOWN',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'validation', 'pudo'],
  title: 'An unknown pudo_id is 422 naming pudo_id.',
  source: designed('An invalid destination is rejected.', `${ORDERS}/description`),
  fault: request(at.createOrder, (req) => {
    if (req.json?.pudo_id === 999_999_999) req.json.pudo_id = PUDO_POINT.pudo_id;
  }),
  check: async (t) =>
    rejects(
      t,
      [
        [
          'an unknown pudo_id',
          (t) => orderOfType(t, 'pudo', undefined, { pudo_id: t.fixtures.pudoPoints.unknown }),
          'pudo_id',
        ],
      ],
      'stated',
    ),
});

rule({
  id: 'ORD-422-PUDO-COUNTRY',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'validation', 'pudo'],
  title:
    "A PUDO point outside the service's destination country is 422 (an invalid destination); designed: naming pudo_id.",
  source: seed(S001, 'the id of a PUDO point in the destination country.'),
  fault: request(at.createOrder, (req) => {
    if (fx.pudo_points.some((p) => p.pudo_id === req.json?.pudo_id && p.country !== 'AZ'))
      req.json.pudo_id = PUDO_POINT.pudo_id;
  }),
  check: async (t) =>
    rejects(
      t,
      [
        [
          'a PUDO point in another country',
          (t) => orderOfType(t, 'pudo', undefined, { pudo_id: t.fixtures.pudoPoints.wrongCountry }),
          'pudo_id',
        ],
      ],
      'stated',
    ),
});

rule({
  id: 'ORD-422-DESTINATION-MISPLACED',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'validation'],
  title: "A destination field the service's delivery type does not take is 422 naming it.",
  source: designed('A misplaced destination would be silently ignored.', `${ORDERS}/description`, 'D11'),
  fault: request(at.createOrder, (req) => {
    const type = fx.services.find((s) => s.id === req.json?.service_id)?.delivery_type;
    if (type !== 'pudo' && type !== 'locker') delete req.json?.pudo_id;
    if (type !== 'home_delivery' && req.json) {
      delete req.json.parent_region;
      delete req.json.region;
    }
  }),
  check: async (t) => {
    const pair = t.fixtures.regions.mapped;
    await rejects(
      t,
      [
        ['pudo_id on home delivery', (t) => homeOrder(t, { pudo_id: t.fixtures.pudoPoints.valid }), 'pudo_id'],
        [
          'a region pair on PUDO',
          (t) => orderOfType(t, 'pudo', undefined, { parent_region: pair.parentRegion, region: pair.region }),
          /^(parent_region|region)$/,
        ],
        [
          'pudo_id on clearance',
          (t) => orderOfType(t, 'clearance', undefined, { pudo_id: t.fixtures.pudoPoints.valid }),
          'pudo_id',
        ],
        [
          'a region pair on cross docking',
          (t) => orderOfType(t, 'cross_docking', undefined, { parent_region: pair.parentRegion, region: pair.region }),
          /^(parent_region|region)$/,
        ],
      ],
      'stated',
    );
  },
});

rule({
  id: 'ORD-422-UNKNOWN-FIELD',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'validation'],
  title: 'A field the contract does not define (and the stale quick-start shape) is 422 naming it.',
  source: designed('Unknown fields are rejected.', '/components/schemas/CreateOrderRequest/additionalProperties', 'D9'),
  fault: request(at.createOrder, (req) => {
    for (const k of ['partner_id', 'external_parent_id', 'items']) delete req.json?.[k];
    for (const p of req.json?.parcels ?? []) delete p.merchant_traking;
  }),
  check: async (t) => {
    await rejects(
      t,
      [
        ['an undefined parcel field', (t) => withParcel(t, { merchant_traking: 'typo' }), 'parcels.0.merchant_traking'],
        ['an undefined order field', (t) => ({ ...homeOrder(t), partner_id: 7 }), 'partner_id'],
        [
          'the stale quick-start shape (external_parent_id)',
          (t) => ({
            service_id: t.fixtures.services.clearance,
            external_parent_id: t.ref('o'),
            items: [{ merchant_tracking_number: t.ref('m') }],
          }),
          'external_parent_id',
        ],
        [
          'the stale quick-start shape (items)',
          (t) => ({
            service_id: t.fixtures.services.clearance,
            external_parent_id: t.ref('o'),
            items: [{ merchant_tracking_number: t.ref('m') }],
          }),
          'items',
        ],
      ],
      'stated',
    );
  },
});

rule({
  id: 'ORD-422-FIELD-LIMITS',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'validation', 'limits'],
  title:
    "Every bound of an order's fields, generated from the spec (lengths, ranges with fractions just over, enums, formats, item counts, types), is accepted at the limit and refused just past it; a bound the documents state in the documented class, a designed one (D14) in the contract class; designed: 422 naming the field.",
  source: seed(S001, 'Your reference for the order (max 255).', 'D14'),
  fault: request(at.createOrder, (req) => {
    if (typeof req.json?.notes === 'string') req.json.notes = req.json.notes.slice(0, NOTES_MAX);
  }),
  moreFaults: [
    {
      bug: `a shipping cost a fraction over ${thousands(COST_MAX)} is rounded down into range (a DECIMAL(10,0) column)`,
      class: 'documented',
      fault: request(at.createOrder, (req) => {
        if (req.json?.shipping_cost > COST_MAX && req.json.shipping_cost < COST_MAX + 1)
          req.json.shipping_cost = COST_MAX;
      }),
    },
    {
      bug: `an order_id of exactly ${ORDER_ID_MAX} characters is refused (an off-by-one "< ${ORDER_ID_MAX}")`,
      class: 'documented',
      fault: answer(
        (r) => at.createOrder(r) && r.json?.order_id?.length === ORDER_ID_MAX,
        () => json(422, { message: messages.invalid, errors: { order_id: ['Too long.'] } }),
      ),
    },
  ],
  check: async (t) => {
    const cases = [
      ...limitCases('CreateOrderRequest', (t, property) => (property === 'parcels' ? parcel(t) : product())),
      // A pattern cannot be generated: its one case is written out.
      {
        field: 'parcels.0.products.0.currency',
        what: 'parcels.0.products.0.currency not 3 capitals',
        value: () => 'usd',
        expect: 'refused' as const,
        class: 'documented' as const,
      },
    ];
    // As the other partner: the orders at the limit (one of the most parcels an order holds among them) stay out of the
    // feed the other rules walk.
    const as = 'otherPartner';
    const base = (t: RuleContext) => homeOrder(t, { service_id: t.fixtures.otherPartner.homeDelivery });
    const send = async (group: LimitCase[]) => {
      const res = await createOrder(t, withValues(base(t), group, t), as);
      if (res.status === 201) cancelAfter(t, (res.body as any).data.order_id, as);
      return res;
    };
    const judge = (c: LimitCase, res: Awaited<ReturnType<typeof send>>) => {
      const check = () =>
        c.expect === 'accepted'
          ? expectStatus(res, 201, `${c.what} is accepted`)
          : expectRejected(t, res, 422, c.field, c.what);
      judgedIn(t, c.class === 'contract' ? c.part! : undefined, check);
    };
    const refused = await Promise.all(
      cases.filter((c) => c.expect === 'refused').map(async (c) => ({ c, res: await send([c]) })),
    );
    for (const { c, res } of refused) judge(c, res);
    // Values at their limits together, a group per request; a refused group is tried value by value.
    for (const { group, res } of await Promise.all(
      rounds(cases.filter((c) => c.expect === 'accepted')).map(async (group) => ({ group, res: await send(group) })),
    ))
      if (res.status === 201) for (const c of group) judge(c, res);
      else
        for (const { c, res: alone } of await Promise.all(group.map(async (c) => ({ c, res: await send([c]) }))))
          judge(c, alone);
  },
});

rule({
  id: 'ORD-422-REQUIRED',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'validation'],
  title:
    'An order without a field the documents mark required (service_id, order_id, a product name) or without any parcel is refused; designed: 422 naming it.',
  source: seed(S001, 'order_idstringrequired'),
  fault: request(at.createOrder, (req) => {
    for (const p of req.json?.parcels ?? []) for (const x of p.products ?? []) x.name ??= 'Unnamed';
  }),
  check: async (t) =>
    rejects(
      t,
      [
        ['no service_id', (t) => without(homeOrder(t), 'service_id'), 'service_id'],
        ['no order_id', (t) => without(homeOrder(t), 'order_id'), 'order_id'],
        ['no parcels ("Hand one or more packages")', (t) => without(homeOrder(t), 'parcels'), 'parcels'],
        ['an empty parcels list', (t) => homeOrder(t, { parcels: [] }), 'parcels'],
        [
          'a product without a name',
          (t) => withParcel(t, { products: [{ quantity: 1 }] }),
          'parcels.0.products.0.name',
        ],
      ],
      'designed',
    ),
});

rule({
  id: 'ORD-REJECTED-NOTHING-STORED',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'validation', 'uniqueness'],
  title: 'A rejected order stores nothing: its references can be used right after.',
  source: designed('A rejected order was not created.', `${ORDERS}/responses/422/description`),
  fault: async (req, ctx) => {
    const rejected = kept(ctx, 'rejected', () => new Set<string>());
    if (at.createOrder(req) && rejected.has(req.json?.order_id))
      return json(422, {
        message: fill(messages.referenceUsed, { field: 'order_id' }),
        errors: { order_id: [fill(messages.referenceUsed, { field: 'order_id' })] },
      });
    const res = await ctx.upstream(req);
    if (at.createOrder(req) && res.status === 422 && req.json?.order_id) rejected.add(req.json.order_id);
    return res;
  },
  check: async (t) => {
    const body = homeOrder(t);
    const rejected = await createOrder(t, { ...body, service_id: t.fixtures.services.unrated });
    expectRejected(t, rejected, 422, 'service_id', 'the rejected order');
    const again = await createOrder(t, { ...body, consolidation_required: 'yes' });
    expectRejected(t, again, 422, 'consolidation_required', 'the rejected order');
    const order = await created(t, body);
    expect(order.orderId, 'the same references are free after the rejections').toBe(body.order_id);
  },
});

/** Exactly these fields are named in the error body's `errors`. */
const namesExactly = (res: Res, fields: string[], what: string) =>
  on(asError(res), (b) => expect(Object.keys(b?.errors ?? {}), `${what}: the fields named`).toEqual(fields));

/** X11's reserved shape, as the fault's buggy server would have ignored it. */
const RESERVED = reservedReference();
/** The same shape anywhere in a reference: what a server with an unanchored pattern refuses. */
const CONTAINS_RESERVED = new RegExp(RESERVED.source.replace(/^\^|\$$/g, ''), 'u');

rule({
  id: 'ORD-422-RESERVED-REFERENCE',
  level: 'MUST',
  operations: ['createOrder', 'getOrder'],
  tags: ['orders', 'validation', 'uniqueness'],
  title:
    "A partner order_id or item_id that is another order's tracking number or parcel id (the reserved shape) is 422 naming exactly that field; the tracking number still names its own order, nothing of the refused order is stored, and a reference merely containing one is ordinary.",
  source: designed(
    'Partner references may not take the shape of a tracking number, so one path reference never names two orders.',
    '/components/schemas/CreateOrderRequest/properties/order_id/not',
    'X11',
  ),
  // As the sandbox did before X11: the reference is accepted, and the path then finds the partner's own reference
  // first.
  fault: async (req, ctx) => {
    const shadows = kept(ctx, 'shadows', () => new Map<string, string>());
    if (at.createOrder(req) && req.json) {
      const taken = [req.json.order_id, ...(req.json.parcels ?? []).map((p: any) => p?.item_id)].filter(
        (r) => typeof r === 'string' && RESERVED.test(r),
      );
      if (!taken.length) return ctx.upstream(req);
      if (RESERVED.test(req.json.order_id)) req.json.order_id = fresh(req.json.order_id);
      for (const p of req.json.parcels ?? []) if (RESERVED.test(p?.item_id)) p.item_id = fresh(p.item_id);
      const res = await ctx.upstream(req);
      if (res.status === 201) for (const ref of taken) shadows.set(ref, res.json.data.order_id);
      return res;
    }
    const ref = at.getOrder(req) ? shadows.get(decodeURIComponent(req.path.split('/')[4] ?? '')) : undefined;
    return ctx.upstream(ref ? { ...req, path: `/api/v1/orders/${ref}` } : req);
  },
  moreFaults: [
    {
      bug: 'a reference that merely contains a tracking number is refused (an unanchored pattern)',
      class: 'contract',
      fault: answer(
        (r) =>
          at.createOrder(r) &&
          [r.json?.order_id, ...(r.json?.parcels ?? []).map((p: any) => p?.item_id)].some(
            (ref) => typeof ref === 'string' && CONTAINS_RESERVED.test(ref) && !RESERVED.test(ref),
          ),
        () =>
          json(422, {
            message: messages.invalid,
            errors: { order_id: ['Looks like a tracking number.'] },
          }),
      ),
    },
  ],
  check: async (t) => {
    const a = await created(t, homeOrder(t));
    const tracking = a.tracking;
    const parcelId = a.parcels[0]!.parcel_id;
    const cases: [what: string, body: CreateOrderRequest, field: string][] = [
      ["order_id: another order's tracking number", homeOrder(t, { order_id: tracking }), 'order_id'],
      ['order_id: a parcel id', homeOrder(t, { order_id: parcelId }), 'order_id'],
      [
        "item_id: another parcel's parcel_id",
        homeOrder(t, { parcels: [parcel(t, { item_id: parcelId })] }),
        'parcels.0.item_id',
      ],
      [
        'item_id: a tracking number',
        homeOrder(t, { parcels: [parcel(t, { item_id: tracking })] }),
        'parcels.0.item_id',
      ],
    ];
    const answers = await Promise.all(
      cases.map(async ([what, body, field]) => ({ what, body, field, res: await createOrder(t, body) })),
    );
    // A wrongly accepted order must not stay behind.
    for (const { res } of answers) if (res.status === 201) cancelAfter(t, (res.body as any).data.order_id);
    for (const { what, field, res } of answers) {
      expectStatus(res, 422, what);
      namesExactly(res, [field], what);
    }
    const read = await getOrder(t, tracking);
    expectStatus(read, 200, 'the tracking number read back');
    on(read, (b) =>
      expect(b.data.external_parent_id, `${tracking} still names the order it was issued to`).toBe(a.orderId),
    );
    // Exact match only: a reference that merely contains a tracking number or a parcel id is an ordinary one.
    const containing = await createOrder(
      t,
      homeOrder(t, {
        order_id: `${t.ref('o')}-${tracking}`,
        parcels: [parcel(t, { item_id: `${t.ref('i')}-${parcelId}` })],
      }),
    );
    if (containing.status === 201) cancelAfter(t, containing.body.data.order_id);
    expectStatus(containing, 201, 'references that merely contain a tracking number and a parcel id');
    // Nothing of the refused bodies was stored: every reference of theirs that is not reserved is still free.
    const [first, second, third, fourth] = cases.map(([, body]) => body);
    const free = (body: CreateOrderRequest) =>
      body.parcels.map((p) => (RESERVED.test(p.item_id ?? '') ? { ...p, item_id: t.ref('i') } : p));
    await created(
      t,
      homeOrder(t, { order_id: third!.order_id, parcels: [first!, second!, third!, fourth!].flatMap(free) }),
    );
    expectStatus(await getOrder(t, fourth!.order_id), 404, `the order_id ${fourth!.order_id} of a refused order`);
  },
});

rule({
  id: 'ORD-422-ERRORS-BOUNDED',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'validation', 'limits'],
  title:
    "An error body lists at most the spec's number of fields (Error.errors maxProperties) and its message then ends with the spec's sentence saying more are at fault; exactly that many faults are all listed, without it.",
  source: designed(
    'Error lists are bounded, and say when they are cut.',
    '/components/schemas/Error/properties/errors/maxProperties',
    'X14',
  ),
  // Unbounded: every unknown field is listed.
  fault: answer(
    (r) =>
      at.createOrder(r) &&
      Object.keys(r.json ?? {}).filter((k) => k.startsWith('undefined_field_')).length > errorListBound().max,
    (r) =>
      json(422, {
        message: messages.invalid,
        errors: Object.fromEntries(
          Object.keys(r.json)
            .filter((k) => k.startsWith('undefined_field_'))
            .map((k) => [k, ['is not a field of this request']]),
        ),
      }),
  ),
  moreFaults: [
    {
      bug: 'the message says more fields are at fault when exactly the bound are (an off-by-one ">=")',
      class: 'contract',
      fault: response(at.createOrder, (res) => {
        if (res.status === 422 && Object.keys(res.json?.errors ?? {}).length === errorListBound().max)
          res.json.message = `${res.json.message} ${errorListBound().more}`;
      }),
    },
  ],
  check: async (t) => {
    const { max, more } = errorListBound();
    const withUnknown = (n: number) => ({
      ...homeOrder(t),
      ...Object.fromEntries(Array.from({ length: n }, (_, i) => [`undefined_field_${i}`, i])),
    });
    // Exactly the bound: each is listed, and nothing says more exist. Ten over it: the list stops at the bound and says
    // so.
    const [atBound, over] = await Promise.all([
      createOrder(t, withUnknown(max)),
      createOrder(t, withUnknown(max + 10)),
    ]);
    for (const res of [atBound, over]) if (res.status === 201) cancelAfter(t, (res.body as any).data.order_id);
    expectStatus(atBound, 422, `${max} undefined fields`);
    namesExactly(
      atBound,
      Array.from({ length: max }, (_, i) => `undefined_field_${i}`),
      `${max} undefined fields`,
    );
    on(atBound, (b: any) => expect(String(b?.message), `${max} undefined fields: the message`).not.toContain(more));
    expectStatus(over, 422, `${max + 10} undefined fields`);
    on(over, (b: any) => {
      const named = Object.keys(b?.errors ?? {});
      expect(named.length, `${max + 10} undefined fields: at most ${max} are listed`).toBeLessThanOrEqual(max);
      expect(named.length, `${max + 10} undefined fields: some are listed`).toBeGreaterThan(0);
      expect(
        named.filter((n) => !/^undefined_field_\d+$/.test(n)),
        `${max + 10} undefined fields: only they are named`,
      ).toEqual([]);
      expect(String(b?.message), `${max + 10} undefined fields: the message says more are at fault`).toMatch(
        new RegExp(`${more.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
      );
    });
  },
});
