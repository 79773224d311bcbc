// Checks of region_status: mapped, pending_mapping (and its resolution once an operator maps the pair), not_applicable, per parent and per partner.
import { expect } from '../../src/expect.ts';
import type { RuleContext } from '../../src/context.ts';
import { rule } from '../../src/define.ts';
import { cancelAfter, count, created, describeFeed, eachParcelHas, feedOf, homeOrder, mark, on, orderOfType, parcel, readOrder, createOrder, expectStatus } from './lib.ts';

/** A pair no operator has mapped: the profile's unmapped parent with a leaf carrying the run id. */
const unmappedPair = (t: RuleContext) => ({ parent_region: t.fixtures.regions.unmappedParent, region: t.ref('leaf') });

rule('REGION-MAPPED', async (t) => {
  const order = await created(t, homeOrder(t));
  const res = await createOrder(t, homeOrder(t));
  if (res.status === 201) cancelAfter(t, res.body.data.order_id);
  expectStatus(res, 201);
  on(res, (b) => expect(b.data.region_status, 'the 201 of a mapped pair').toBe('mapped'));
  expect((await readOrder(t, order.tracking)).region_status, 'read back').toBe('mapped');
});

rule('REGION-PENDING', async (t) => {
  const res = await createOrder(t, homeOrder(t, unmappedPair(t)));
  if (res.status === 201) cancelAfter(t, res.body.data.order_id);
  expectStatus(res, 201, 'an unmapped pair is accepted');
  on(res, (b) => expect(b.data.region_status).toBe('pending_mapping'));
  expect((await readOrder(t, res.body.data.order_id)).region_status, 'read back').toBe('pending_mapping');
});

rule('REGION-RESOLVES', async (t) => {
  t.needHook('mapRegion');
  const since = await mark(t);
  const pair = unmappedPair(t);
  const order = await created(t, homeOrder(t, { ...pair, parcels: [parcel(t), parcel(t)] }));
  expect((await readOrder(t, order.tracking)).region_status, 'before the mapping').toBe('pending_mapping');
  await t.hook('mapRegion', { clientId: t.credential('full').clientId, ...pair });
  expect((await readOrder(t, order.tracking)).region_status, 'after the mapping, without resending').toBe('mapped');
  const entries = await feedOf(t, since, [order.tracking], eachParcelHas(order, 'region_resolved'));
  for (const p of order.parcels) {
    const resolved = entries.filter((e) => e.type === 'region_resolved' && e.parcel.parcel_id === p.parcel_id);
    expect(resolved.length, `one region_resolved entry for parcel ${p.parcel_id}; feed: ${describeFeed(entries)}`).toBe(1);
    expect(resolved[0]!.region_status).toBe('mapped');
    expect(count(entries, 'created', p.parcel_id), 'the created entry comes first').toBe(1);
    expect(entries.findIndex((e) => e.type === 'created' && e.parcel.parcel_id === p.parcel_id)).toBeLessThan(entries.indexOf(resolved[0]!));
  }
});

rule('REGION-NOT-APPLICABLE', async (t) => {
  for (const type of ['pudo', 'locker', 'clearance', 'cross_docking'] as const) {
    const res = await createOrder(t, orderOfType(t, type));
    if (res.status === 201) cancelAfter(t, res.body.data.order_id);
    expectStatus(res, 201, `a ${type} order`);
    on(res, (b) => expect(b.data.region_status, `${type} region_status`).toBe('not_applicable'));
  }
});

rule('REGION-PARENT-DISAMBIGUATES', async (t) => {
  const [a, b] = t.fixtures.regions.sameLeafTwoParents;
  for (const pair of [a!, b!]) {
    const order = await created(t, homeOrder(t, { parent_region: pair.parentRegion, region: pair.region }));
    expect((await readOrder(t, order.tracking)).region_status, `${pair.parentRegion}/${pair.region}`).toBe('mapped');
  }
  // A parent carrying the run id is unmapped on any server, however long-lived.
  const parent = t.ref('parent');
  const stray = await created(t, homeOrder(t, { parent_region: parent, region: a!.region }));
  expect((await readOrder(t, stray.tracking)).region_status, `the same leaf ${a!.region} under an unmapped parent`).toBe('pending_mapping');
});

rule('REGION-PER-PARTNER', async (t) => {
  t.needHook('mapRegion');
  const pair = unmappedPair(t);
  await t.hook('mapRegion', { clientId: t.credential('full').clientId, ...pair });
  const mine = await created(t, homeOrder(t, pair));
  expect((await readOrder(t, mine.tracking)).region_status, 'the partner whose pair was mapped').toBe('mapped');
  const theirs = await created(t, homeOrder(t, { ...pair, service_id: t.fixtures.otherPartner.homeDelivery }), 'otherPartner');
  expect((await readOrder(t, theirs.tracking, 'otherPartner')).region_status, 'another partner with the same pair').toBe('pending_mapping');
});
