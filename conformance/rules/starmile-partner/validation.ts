// The 422s of order creation: each case starts from a valid body, breaks exactly one thing, and expects the field it broke to be named.
import { expect } from '../../src/expect.ts';
import type { RuleContext } from '../../src/context.ts';
import { designed, ORDERS, rule, S001, S003, seed } from './meta.ts';
import { cancelAfter, created, createOrder, expectError, homeOrder, orderOfType, parcel, type CreateOrderRequest } from './lib.ts';

type Body = Record<string, any>;
type Case = [what: string, build: (t: RuleContext) => Body, field: string | RegExp];

/** Sends each broken body and expects 422 naming its field; cases run side by side. */
async function rejects(t: RuleContext, cases: Case[]): Promise<void> {
  const results = await Promise.all(cases.map(async ([what, build, field]) => ({ what, field, res: await createOrder(t, build(t)) })));
  for (const { what, field, res } of results) {
    // A wrongly accepted order must not stay behind.
    if (res.status === 201) cancelAfter(t, (res.body as any).data.order_id);
    expectError(t, res, 422, field, what);
  }
}

const without = (body: CreateOrderRequest, ...keys: string[]): Body => Object.fromEntries(Object.entries(body).filter(([k]) => !keys.includes(k)));
const withParcel = (t: RuleContext, over: Body): Body => homeOrder(t, { parcels: [{ ...parcel(t), ...over } as any] });
const withProduct = (t: RuleContext, over: Body): Body => withParcel(t, { products: [{ name: 'Sneakers', quantity: 1, ...over }] });

rule({
  id: 'ORD-422-SERVICE-UNKNOWN',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'validation'],
  title: 'A service_id that is no service of the partner is 422 naming service_id.',
  source: seed(S001, 'Must be published for your partner in this warehouse.'),
  check: async (t) => rejects(t, [['a service_id that is no service', (t) => homeOrder(t, { service_id: 999_999_999 }), 'service_id']]),
});

rule({
  id: 'ORD-422-SERVICE-UNRATED',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'validation', 'services'],
  title: 'A published service without an active rate is 422 naming service_id.',
  source: seed(S003, 'A service you have no rate for is not returned, and creating an order against it is rejected 422.'),
  check: async (t) => rejects(t, [['a service without an active rate', (t) => homeOrder(t, { service_id: t.fixtures.services.unrated }), 'service_id']]),
});

rule({
  id: 'ORD-422-SERVICE-OTHER-WAREHOUSE',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'validation', 'services'],
  title: 'A service of another warehouse is 422 naming service_id.',
  source: designed("The service must be published in the credential's warehouse.", `${ORDERS}/description`),
  fixtures: ['otherWarehouse'],
  check: async (t) => {
    t.needFixture('otherWarehouse');
    await rejects(t, [["another warehouse's service", (t) => homeOrder(t, { service_id: t.fixtures.services.otherWarehouse! }), 'service_id']]);
  },
});

rule({
  id: 'ORD-422-REGION-MISSING',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'validation', 'region'],
  title: 'A home delivery order without parent_region or region is 422 naming the missing field.',
  source: seed(S001, 'A missing or invalid destination is rejected 422 with a message.'),
  check: async (t) =>
    rejects(t, [
      ['home delivery without parent_region', (t) => without(homeOrder(t), 'parent_region'), 'parent_region'],
      ['home delivery without region', (t) => without(homeOrder(t), 'region'), 'region'],
    ]),
});

rule({
  id: 'ORD-422-PUDO-MISSING',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'validation', 'pudo'],
  title: 'A PUDO or locker order without pudo_id is 422 naming pudo_id.',
  source: seed(S001, 'Required for a pudo-channel service', 'D12'),
  check: async (t) =>
    rejects(t, [
      ['PUDO without pudo_id', (t) => without(orderOfType(t, 'pudo'), 'pudo_id'), 'pudo_id'],
      ['locker without pudo_id', (t) => without(orderOfType(t, 'locker'), 'pudo_id'), 'pudo_id'],
    ]),
});

rule({
  id: 'ORD-422-PUDO-UNKNOWN',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'validation', 'pudo'],
  title: 'An unknown pudo_id is 422 naming pudo_id.',
  source: designed('An invalid destination is rejected.', `${ORDERS}/description`),
  check: async (t) => rejects(t, [['an unknown pudo_id', (t) => orderOfType(t, 'pudo', undefined, { pudo_id: t.fixtures.pudoPoints.unknown }), 'pudo_id']]),
});

rule({
  id: 'ORD-422-PUDO-COUNTRY',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'validation', 'pudo'],
  title: "A PUDO point outside the service's destination country is 422 naming pudo_id.",
  source: seed(S001, 'the id of a PUDO point in the destination country.'),
  check: async (t) => rejects(t, [['a PUDO point in another country', (t) => orderOfType(t, 'pudo', undefined, { pudo_id: t.fixtures.pudoPoints.wrongCountry }), 'pudo_id']]),
});

rule({
  id: 'ORD-422-DESTINATION-MISPLACED',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'validation'],
  title: "A destination field the service's delivery type does not take is 422 naming it.",
  source: designed('A misplaced destination would be silently ignored.', `${ORDERS}/description`, 'D11'),
  check: async (t) => {
    const pair = t.fixtures.regions.mapped;
    await rejects(t, [
      ['pudo_id on home delivery', (t) => homeOrder(t, { pudo_id: t.fixtures.pudoPoints.valid }), 'pudo_id'],
      ['a region pair on PUDO', (t) => orderOfType(t, 'pudo', undefined, { parent_region: pair.parentRegion, region: pair.region }), /^(parent_region|region)$/],
      ['pudo_id on clearance', (t) => orderOfType(t, 'clearance', undefined, { pudo_id: t.fixtures.pudoPoints.valid }), 'pudo_id'],
      ['a region pair on cross docking', (t) => orderOfType(t, 'cross_docking', undefined, { parent_region: pair.parentRegion, region: pair.region }), /^(parent_region|region)$/],
    ]);
  },
});

rule({
  id: 'ORD-422-UNKNOWN-FIELD',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'validation'],
  title: 'A field the contract does not define (and the stale quick-start shape) is 422 naming it.',
  source: designed('Unknown fields are rejected.', '/components/schemas/CreateOrderRequest/additionalProperties', 'D9'),
  check: async (t) => {
    await rejects(t, [
      ['an undefined parcel field', (t) => withParcel(t, { merchant_traking: 'typo' }), 'parcels.0.merchant_traking'],
      ['an undefined order field', (t) => ({ ...homeOrder(t), partner_id: 7 }), 'partner_id'],
      ['the stale quick-start shape (external_parent_id)', (t) => ({ service_id: t.fixtures.services.clearance, external_parent_id: t.ref('o'), items: [{ merchant_tracking_number: t.ref('m') }] }), 'external_parent_id'],
      ['the stale quick-start shape (items)', (t) => ({ service_id: t.fixtures.services.clearance, external_parent_id: t.ref('o'), items: [{ merchant_tracking_number: t.ref('m') }] }), 'items'],
    ]);
  },
});

rule({
  id: 'ORD-422-FIELD-LIMITS',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'validation'],
  title: 'Each field out of its range, length, type or enum is 422 naming that field.',
  source: designed('Every input is bounded.', '/components/schemas/CreateOrderRequest', 'D14'),
  check: async (t) => {
    const long = (n: number) => 'x'.repeat(n);
    await rejects(t, [
      ['order_id over 255', (t) => homeOrder(t, { order_id: `${t.ref('o')}${long(256)}` }), 'order_id'],
      ['gov_id over 64', (t) => homeOrder(t, { gov_id: long(65) }), 'gov_id'],
      ['customer_name over 255', (t) => homeOrder(t, { customer_name: long(256) }), 'customer_name'],
      ['customer_phone over 64', (t) => homeOrder(t, { customer_phone: long(65) }), 'customer_phone'],
      ['customer_email not an email', (t) => homeOrder(t, { customer_email: 'not-an-email' }), 'customer_email'],
      ['zip over 32', (t) => homeOrder(t, { zip: long(33) }), 'zip'],
      ['notes over 1000', (t) => homeOrder(t, { notes: long(1001) }), 'notes'],
      ['shipping_cost below 0', (t) => homeOrder(t, { shipping_cost: -1 }), 'shipping_cost'],
      ['shipping_cost over 1,000,000', (t) => homeOrder(t, { shipping_cost: 1_000_001 }), 'shipping_cost'],
      ['service_id as a string', (t) => ({ ...homeOrder(t), service_id: String(t.fixtures.services.homeDelivery) }), 'service_id'],
      ['consolidation_required not a boolean', (t) => ({ ...homeOrder(t), consolidation_required: 'yes' }), 'consolidation_required'],
      ['more than 100 parcels', (t) => homeOrder(t, { parcels: Array.from({ length: 101 }, () => parcel(t)) }), 'parcels'],
      ['item_id over 255', (t) => withParcel(t, { item_id: `${t.ref('i')}${long(256)}` }), 'parcels.0.item_id'],
      ['package_type outside the enum', (t) => withParcel(t, { package_type: 'heavy' }), 'parcels.0.package_type'],
      ['weight_grams not an integer', (t) => withParcel(t, { weight_grams: 1.5 }), 'parcels.0.weight_grams'],
      ['weight_grams zero', (t) => withParcel(t, { weight_grams: 0 }), 'parcels.0.weight_grams'],
      ['length_mm over 10,000', (t) => withParcel(t, { length_mm: 10_001 }), 'parcels.0.length_mm'],
      ['an empty products list', (t) => withParcel(t, { products: [] }), 'parcels.0.products'],
      ['currency not 3 capitals', (t) => withProduct(t, { currency: 'usd' }), 'parcels.0.products.0.currency'],
      ['quantity zero', (t) => withProduct(t, { quantity: 0 }), 'parcels.0.products.0.quantity'],
      ['declared_value below 0', (t) => withProduct(t, { declared_value: -1 }), 'parcels.0.products.0.declared_value'],
      ['hs_code over 32', (t) => withProduct(t, { hs_code: long(33) }), 'parcels.0.products.0.hs_code'],
      ['product name over 255', (t) => withProduct(t, { name: long(256) }), 'parcels.0.products.0.name'],
      ['merchant_tracking over 255', (t) => withParcel(t, { merchant_tracking: `${t.ref('m')}${long(256)}` }), 'parcels.0.merchant_tracking'],
      ['address_first over 255', (t) => homeOrder(t, { address_first: long(256) }), 'address_first'],
    ]);
  },
});

rule({
  id: 'ORD-422-REQUIRED',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'validation'],
  title: 'A missing required field (service_id, order_id, parcels, a product name) or an empty parcels list is 422 naming it.',
  source: designed('Required fields.', '/components/schemas/CreateOrderRequest/required'),
  check: async (t) =>
    rejects(t, [
      ['no service_id', (t) => without(homeOrder(t), 'service_id'), 'service_id'],
      ['no order_id', (t) => without(homeOrder(t), 'order_id'), 'order_id'],
      ['no parcels', (t) => without(homeOrder(t), 'parcels'), 'parcels'],
      ['an empty parcels list', (t) => homeOrder(t, { parcels: [] }), 'parcels'],
      ['a product without a name', (t) => withParcel(t, { products: [{ quantity: 1 }] }), 'parcels.0.products.0.name'],
    ]),
});

rule({
  id: 'ORD-REJECTED-NOTHING-STORED',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'validation', 'uniqueness'],
  title: 'A rejected order stores nothing: its references can be used right after.',
  source: designed('A rejected order was not created.', `${ORDERS}/responses/422/description`),
  check: async (t) => {
    const body = homeOrder(t);
    const rejected = await createOrder(t, { ...body, service_id: t.fixtures.services.unrated });
    expectError(t, rejected, 422, 'service_id', 'the rejected order');
    const again = await createOrder(t, { ...body, consolidation_required: 'yes' });
    expectError(t, again, 422, 'consolidation_required', 'the rejected order');
    const order = await created(t, body);
    expect(order.orderId, 'the same references are free after the rejections').toBe(body.order_id);
  },
});
