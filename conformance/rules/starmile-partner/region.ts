// Checks of region_status: mapped, pending_mapping (and its resolution once an operator maps the pair), not_applicable,
// per parent and per partner.

import type { RuleContext } from '../../src/context.ts';
import { expect } from '../../src/expect.ts';
import { answer, at, FULL, fx, json, OTHER, request, response } from '../../src/fault-kit.ts';
import { CHANGE_ENTRY, CROSS_DOCKING } from './designed.ts';
import {
  cancelAfter,
  count,
  created,
  createOrder,
  describeFeed,
  eachParcelHas,
  expectStatus,
  feedOf,
  homeOrder,
  judgedIn,
  mark,
  on,
  orderOfType,
  parcel,
  readOrder,
} from './lib.ts';
import { rule, S000, S001, seed } from './meta.ts';

/** A pair no operator has mapped: the profile's unmapped parent with a leaf carrying the run id. */
const unmappedPair = (t: RuleContext) => ({ parent_region: t.fixtures.regions.unmappedParent, region: t.ref('leaf') });

rule({
  id: 'REGION-MAPPED',
  level: 'MUST',
  operations: ['createOrder', 'getOrder'],
  tags: ['orders', 'region'],
  title: 'A home delivery order to a mapped pair has region_status "mapped".',
  source: seed(
    S001,
    'The response carries region_status: "mapped" when the region resolved, or "pending_mapping" when it did not.',
  ),
  fault: response(
    (r) => at.createOrder(r) || at.getOrder(r),
    (res) => {
      if (res.json?.data?.region_status === 'mapped') res.json.data.region_status = 'pending_mapping';
    },
  ),
  check: async (t) => {
    const order = await created(t, homeOrder(t));
    const res = await createOrder(t, homeOrder(t));
    if (res.status === 201) cancelAfter(t, res.body.data.order_id);
    expectStatus(res, 201);
    on(res, (b) => expect(b.data.region_status, 'the 201 of a mapped pair').toBe('mapped'));
    expect((await readOrder(t, order.tracking)).region_status, 'read back').toBe('mapped');
  },
});

rule({
  id: 'REGION-PENDING',
  level: 'MUST',
  operations: ['createOrder', 'getOrder'],
  tags: ['orders', 'region'],
  title: 'An unmapped pair is accepted (201) with region_status "pending_mapping".',
  source: seed(S001, 'If your reference is not mapped yet, the order is still accepted — it is not rejected.'),
  fault: answer(
    (r) => at.createOrder(r) && r.json?.parent_region === fx.unmapped_region_example.parent_region,
    () => json(422, { message: 'Unknown region.', errors: { region: ['The region is not mapped.'] } }),
  ),
  check: async (t) => {
    const res = await createOrder(t, homeOrder(t, unmappedPair(t)));
    if (res.status === 201) cancelAfter(t, res.body.data.order_id);
    expectStatus(res, 201, 'an unmapped pair is accepted');
    on(res, (b) => expect(b.data.region_status).toBe('pending_mapping'));
    expect((await readOrder(t, res.body.data.order_id)).region_status, 'read back').toBe('pending_mapping');
  },
});

rule({
  id: 'REGION-RESOLVES',
  level: 'MUST',
  operations: ['getOrder', 'listChanges'],
  tags: ['orders', 'region', 'feed'],
  title:
    'Once an operator maps the pair, the waiting order reads back "mapped" without being resent; designed: each parcel gets one region_resolved entry in the status pool, after its created entry.',
  source: seed(S001, 'once mapped, the waiting order is resolved automatically — you do not resend it.'),
  hooks: ['mapRegion'],
  fault: answer(
    (r) => r.path === '/_sandbox/region-mappings',
    (r) => json(201, { data: { ...r.json, orders: [] } }),
  ),
  check: async (t) => {
    t.needHook('mapRegion');
    const since = await mark(t);
    const pair = unmappedPair(t);
    const order = await created(t, homeOrder(t, { ...pair, parcels: [parcel(t), parcel(t)] }));
    expect((await readOrder(t, order.tracking)).region_status, 'before the mapping').toBe('pending_mapping');
    await t.hook('mapRegion', { clientId: t.credential('full').clientId, ...pair });
    expect((await readOrder(t, order.tracking)).region_status, 'after the mapping, without resending').toBe('mapped');
    const entries = await feedOf(t, since, [order.tracking], eachParcelHas(order, 'region_resolved'));
    t.designed(CHANGE_ENTRY, () => {
      for (const p of order.parcels) {
        const resolved = entries.filter((e) => e.type === 'region_resolved' && e.parcel.parcel_id === p.parcel_id);
        expect(
          resolved.length,
          `one region_resolved entry for parcel ${p.parcel_id}; feed: ${describeFeed(entries)}`,
        ).toBe(1);
        expect(resolved[0]!.region_status).toBe('mapped');
        expect(count(entries, 'created', p.parcel_id), 'the created entry comes first').toBe(1);
        expect(entries.findIndex((e) => e.type === 'created' && e.parcel.parcel_id === p.parcel_id)).toBeLessThan(
          entries.indexOf(resolved[0]!),
        );
      }
    });
  },
});

rule({
  id: 'REGION-NOT-APPLICABLE',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'region', 'pudo'],
  title:
    'PUDO, locker and clearance orders have region_status "not_applicable"; designed (D11): cross docking orders too.',
  source: seed(
    S001,
    'For a PUDO / locker / clearance service (no home region) region_status is "not_applicable".',
    'D11',
  ),
  fault: response(at.createOrder, (res) => {
    if (res.json?.data?.region_status === 'not_applicable') res.json.data.region_status = 'mapped';
  }),
  check: async (t) => {
    for (const type of ['pudo', 'locker', 'clearance', 'cross_docking'] as const) {
      const res = await createOrder(t, orderOfType(t, type));
      if (res.status === 201) cancelAfter(t, res.body.data.order_id);
      const judge = () => {
        expectStatus(res, 201, `a ${type} order`);
        on(res, (b) => expect(b.data.region_status, `${type} region_status`).toBe('not_applicable'));
      };
      judgedIn(t, type === 'cross_docking' ? CROSS_DOCKING : undefined, judge);
    }
  },
});

rule({
  id: 'REGION-PARENT-DISAMBIGUATES',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'region'],
  title:
    'The same leaf under two parents is two pairs: both mapped pairs resolve, the leaf under an unmapped parent does not.',
  source: seed(S001, 'a leaf name that repeats across parents is disambiguated by the parent'),
  fault: request(at.createOrder, (req) => {
    const leafOnly = fx.region_mappings.find((m) => m.partner_id === FULL.partner_id && m.region === req.json?.region);
    if (
      leafOnly &&
      !fx.region_mappings.some((m) => m.parent_region === req.json.parent_region && m.region === req.json.region)
    )
      req.json.parent_region = leafOnly.parent_region;
  }),
  check: async (t) => {
    const [a, b] = t.fixtures.regions.sameLeafTwoParents;
    for (const pair of [a!, b!]) {
      const order = await created(t, homeOrder(t, { parent_region: pair.parentRegion, region: pair.region }));
      expect((await readOrder(t, order.tracking)).region_status, `${pair.parentRegion}/${pair.region}`).toBe('mapped');
    }
    // A parent carrying the run id is unmapped on any server, however long-lived.
    const parent = t.ref('parent');
    const stray = await created(t, homeOrder(t, { parent_region: parent, region: a!.region }));
    expect(
      (await readOrder(t, stray.tracking)).region_status,
      `the same leaf ${a!.region} under an unmapped parent`,
    ).toBe('pending_mapping');
  },
});

rule({
  id: 'REGION-PER-PARTNER',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['orders', 'region', 'tenant'],
  title: 'A pair mapped for one partner stays unmapped for another.',
  source: seed(S000, 'Starmile maps that pair, per partner, to one of its regions'),
  hooks: ['mapRegion'],
  fault: async (req, ctx) => {
    const res = await ctx.upstream(req);
    if (req.path === '/_sandbox/region-mappings' && res.status === 201)
      await ctx.upstream({ ...req, json: { ...req.json, client_id: OTHER.client_id } });
    return res;
  },
  check: async (t) => {
    t.needHook('mapRegion');
    const pair = unmappedPair(t);
    await t.hook('mapRegion', { clientId: t.credential('full').clientId, ...pair });
    const mine = await created(t, homeOrder(t, pair));
    expect((await readOrder(t, mine.tracking)).region_status, 'the partner whose pair was mapped').toBe('mapped');
    const theirs = await created(
      t,
      homeOrder(t, { ...pair, service_id: t.fixtures.otherPartner.homeDelivery }),
      'otherPartner',
    );
    expect(
      (await readOrder(t, theirs.tracking, 'otherPartner')).region_status,
      'another partner with the same pair',
    ).toBe('pending_mapping');
  },
});
