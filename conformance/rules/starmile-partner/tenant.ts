// Checks that a credential sees and touches only its own partner's (and warehouse's) orders (X6).

import { fill } from '../../../contract/messages.ts';
import { messages } from '../../../contract/starmile-partner.ts';
import { expect } from '../../src/expect.ts';
import { at, FULL, ignoresTenant, json, OTHER, OTHER_WAREHOUSE, remember, seen } from '../../src/fault-kit.ts';
import {
  cancelOrder,
  created,
  eachParcelHas,
  expectError,
  expectStatus,
  feedOf,
  getOrder,
  homeOrder,
  mark,
  on,
  orderEvent,
  parcel,
  parcelEvent,
  readFeed,
  readOrder,
  reportEvent,
  updateParcel,
} from './lib.ts';
import { CANCEL, designed, EVENTS, ORDER, ORDERS, PARCEL, rule, S000, S002, seed } from './meta.ts';
import { pageLimit } from './spec.ts';

/** Every place (a JSON path) in a value where one of the references appears, in any field at any depth. */
function leaksIn(value: unknown, references: Set<string>, at = ''): string[] {
  if (typeof value === 'string' || typeof value === 'number')
    return references.has(String(value)) ? [`${at || '/'} = ${value}`] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => leaksIn(v, references, `${at}/${i}`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => leaksIn(v, references, `${at}/${k}`));
  return [];
}

rule({
  id: 'TENANT-GET-ORDER',
  level: 'MUST',
  operations: ['getOrder'],
  tags: ['tenant', 'orders'],
  title: "Another partner's order is 404, by its order_id and by its tracking number.",
  source: designed('References of other partners are never revealed.', `${ORDER}/description`, 'X6'),
  fault: ignoresTenant(at.getOrder, () => OTHER.client_id),
  check: async (t) => {
    const order = await created(t, homeOrder(t));
    for (const id of [order.orderId, order.tracking])
      expectError(t, await getOrder(t, id, 'otherPartner'), 404, undefined, `another partner reading ${id}`);
  },
});

rule({
  id: 'TENANT-UPDATE-PARCEL',
  level: 'MUST',
  operations: ['updateParcel'],
  tags: ['tenant', 'update'],
  title: "Updating another partner's parcel is 404 and changes nothing.",
  source: designed('References of other partners are never revealed.', `${PARCEL}/responses/404`, 'X6'),
  fault: ignoresTenant(at.updateParcel, () => OTHER.client_id),
  check: async (t) => {
    const order = await created(t, homeOrder(t));
    const p = order.parcels[0]!;
    expectError(
      t,
      await updateParcel(t, order.orderId, p.item_id!, { weight_grams: 4321 }, 'otherPartner'),
      404,
      undefined,
      'by order_id and item_id',
    );
    expectError(
      t,
      await updateParcel(t, order.tracking, p.parcel_id, { weight_grams: 4321 }, 'otherPartner'),
      404,
      undefined,
      'by tracking and parcel_id',
    );
    const after = await readOrder(t, order.tracking);
    expect(after.parcels[0]!.weight_grams, 'the parcel is unchanged').toBe(order.body.parcels[0]!.weight_grams);
  },
});

rule({
  id: 'TENANT-CANCEL-ORDER',
  level: 'MUST',
  operations: ['cancelOrder'],
  tags: ['tenant', 'cancel'],
  title: "Cancelling another partner's order is 404 and changes nothing.",
  source: designed('References of other partners are never revealed.', `${CANCEL}/responses/404`, 'X6'),
  fault: ignoresTenant(at.cancelOrder, () => OTHER.client_id),
  check: async (t) => {
    const order = await created(t, homeOrder(t));
    for (const id of [order.orderId, order.tracking])
      expectError(t, await cancelOrder(t, id, {}, 'otherPartner'), 404, undefined, `another partner cancelling ${id}`);
    expect((await readOrder(t, order.tracking)).status, 'the order is not cancelled').toBe('created');
  },
});

rule({
  id: 'TENANT-FEED',
  level: 'MUST',
  operations: ['listChanges'],
  tags: ['tenant', 'feed'],
  title:
    "A partner's status pool never shows another partner's orders: no reference of them in any field of any entry.",
  source: seed(S000, 'A pull-based, per-credential feed of status changes to your orders.'),
  fault: ignoresTenant(at.listChanges, () => OTHER.client_id),
  moreFaults: [
    {
      bug: "a join leaks another partner's parcel into the feed under the reader's own tracking number",
      class: 'documented',
      fault: async (req, ctx) => {
        const res = await ctx.upstream(req);
        if (!at.listChanges(req) || res.status !== 200 || ctx.ownerOf(req) !== OTHER.client_id) return res;
        // The newest entry of the other partner's feed: its pages walked to the end.
        let leaked: any;
        for (let since: string | undefined, more = true; more; ) {
          const page = await ctx.upstream({
            method: 'GET',
            path: '/api/v1/partner/changes',
            query: new URLSearchParams({ limit: String(pageLimit().maximum), ...(since ? { since } : {}) }),
            headers: { authorization: `Bearer ${await ctx.tokenOf(FULL.client_id)}` },
            body: Buffer.alloc(0),
          });
          leaked = page.json?.data?.at(-1) ?? leaked;
          [since, more] = [page.json?.next_cursor, page.json?.has_more === true];
        }
        if (leaked)
          res.json.data.push({
            ...leaked,
            id: `${leaked.id}-leak`,
            tracking_number: 'SM-OTHER',
            external_parent_id: 'other-order',
          });
        return res;
      },
    },
  ],
  check: async (t) => {
    const since = await mark(t, 'otherPartner');
    const mine = await mark(t);
    const order = await created(t, homeOrder(t, { parcels: [parcel(t), parcel(t)] }));
    // Wait until the change is visible in the owner's feed, so its absence elsewhere means something.
    await feedOf(t, mine, [order.tracking], eachParcelHas(order, 'created'));
    const references = new Set([
      order.orderId,
      order.tracking,
      ...order.parcels.map((p) => p.parcel_id),
      ...order.body.parcels.flatMap((p) => [p.item_id!, p.merchant_tracking!]),
    ]);
    const { entries } = await readFeed(t, since, 'otherPartner', (e) => leaksIn(e, references).length > 0);
    const leaks = entries.flatMap((e) => leaksIn(e, references).map((where) => `entry ${e.id}${where}`));
    expect(leaks, "another partner's feed shows references of this partner's order").toEqual([]);
  },
});

rule({
  id: 'TENANT-EVENT',
  level: 'MUST',
  operations: ['reportEvent'],
  tags: ['tenant', 'events'],
  title:
    "An event addressing another partner's parcel or order is 422 naming parcel_id / tracking_number and changes nothing.",
  source: designed("Events address the partner's own packages.", `${EVENTS}/responses/422`, 'X6'),
  fault: ignoresTenant(at.reportEvent, () => OTHER.client_id),
  check: async (t) => {
    const order = await created(t, homeOrder(t));
    const p = order.parcels[0]!;
    expectError(
      t,
      await reportEvent(t, parcelEvent(t, 'parcel.received', p.parcel_id), 'otherPartner'),
      422,
      'parcel_id',
      "another partner's parcel",
    );
    expectError(
      t,
      await reportEvent(t, orderEvent(t, 'shipment.picked_up', order.tracking), 'otherPartner'),
      422,
      'tracking_number',
      "another partner's order",
    );
    expect((await readOrder(t, order.tracking)).parcels[0]!.status, 'the parcel did not move').toBe('created');
  },
});

rule({
  id: 'TENANT-REFERENCES',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['tenant', 'orders', 'uniqueness'],
  title:
    'References are unique per partner account: another partner may use the same order_id, item_id and merchant_tracking.',
  source: designed(
    'Uniqueness per partner account; a 422 across partners would reveal their references.',
    `${ORDERS}/description`,
    'D5',
  ),
  fault: async (req, ctx) => {
    if (at.createOrder(req) && ctx.ownerOf(req) === OTHER.client_id && seen(ctx, 'order_id').has(req.json?.order_id))
      return json(422, {
        message: fill(messages.referenceUsed, { field: 'order_id' }),
        errors: { order_id: [fill(messages.referenceUsed, { field: 'order_id' })] },
      });
    const res = await ctx.upstream(req);
    if (at.createOrder(req) && req.json) remember('order_id')(res, req, ctx);
    return res;
  },
  check: async (t) => {
    const mine = await created(t, homeOrder(t));
    const sent = mine.body.parcels[0]!;
    const theirs = homeOrder(t, {
      service_id: t.fixtures.otherPartner.homeDelivery,
      order_id: mine.orderId,
      parent_region: t.fixtures.regions.unmappedParent,
      region: t.ref('leaf'),
      parcels: [{ ...sent, item_id: sent.item_id!, merchant_tracking: sent.merchant_tracking! }],
    });
    const res = await created(t, theirs, 'otherPartner');
    on(await getOrder(t, mine.orderId), (b) =>
      expect(b.data.order_id, "the partner's own order_id still finds its own order").toBe(mine.tracking),
    );
    expect(res.tracking).not.toBe(mine.tracking);
  },
});

rule({
  id: 'TENANT-WAREHOUSE-FEED',
  level: 'MUST',
  operations: ['listChanges'],
  tags: ['tenant', 'feed'],
  title: "The status pool of a credential bound to another warehouse does not show this warehouse's orders.",
  source: seed(
    S002,
    'The credential is bound to your partner account and the warehouse your orders are received at',
    'X4',
  ),
  fixtures: ['otherWarehouse'],
  fault: ignoresTenant(at.listChanges, () => OTHER_WAREHOUSE.client_id),
  check: async (t) => {
    t.needFixture('otherWarehouse');
    const since = await mark(t, 'otherWarehouse');
    const mine = await mark(t);
    const order = await created(t, homeOrder(t));
    await feedOf(t, mine, [order.tracking], eachParcelHas(order, 'created'));
    const references = new Set([order.orderId, order.tracking, ...order.parcels.map((p) => p.parcel_id)]);
    const { entries } = await readFeed(t, since, 'otherWarehouse', (e) => leaksIn(e, references).length > 0);
    const leaks = entries.flatMap((e) => leaksIn(e, references).map((where) => `entry ${e.id}${where}`));
    expect(leaks, "another warehouse's feed shows references of this warehouse's order").toEqual([]);
    expectStatus(await getOrder(t, order.tracking), 200);
  },
});
