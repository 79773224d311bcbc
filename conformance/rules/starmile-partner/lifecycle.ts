// The written-out scenario: one order through create, read, update, advance, refused update and cancel; another
// cancelled twice; the feed shows each change once.
import { expect } from '../../src/expect.ts';
import { answer, at, currentParcel, response } from '../../src/fault-kit.ts';
import { CHANGE_ENTRY, PARCEL_STATUS } from './designed.ts';
import {
  advance,
  cancelled,
  cancelOrder,
  count,
  created,
  describeFeed,
  expectError,
  expectStatus,
  feedOf,
  homeOrder,
  mark,
  on,
  parcel,
  readOrder,
  updateParcel,
} from './lib.ts';
import { rule, S001, seed } from './meta.ts';

rule({
  id: 'LIFECYCLE-SCENARIO',
  level: 'MUST',
  operations: ['createOrder', 'getOrder', 'updateParcel', 'cancelOrder', 'listChanges'],
  tags: ['lifecycle', 'update', 'cancel', 'feed'],
  title:
    'Written out: create, update, advance, update again (409), cancel (409); a fresh order cancelled twice; designed: the statuses read back, and the status pool showing each change exactly once and nothing for updates or the repeated cancel.',
  source: seed(S001, 'Change a parcel’s details while the order is still at its flow’s first step'),
  hooks: ['advanceParcel'],
  fault: response(at.getOrder, (res) => {
    if (res.json?.data?.status === 'in_progress') res.json.data.status = 'created';
  }),
  moreFaults: [
    {
      bug: 'a new merchant_tracking at the first step is answered 200 but not kept',
      class: 'documented',
      fault: answer((r) => at.updateParcel(r) && r.json?.merchant_tracking !== undefined, currentParcel),
    },
  ],
  check: async (t) => {
    t.needHook('advanceParcel');
    const since = await mark(t);
    const a = await created(t, homeOrder(t, { parcels: [parcel(t), parcel(t)] }));
    const [p1, p2] = a.parcels as [{ item_id: string; parcel_id: string }, { item_id: string; parcel_id: string }];
    const first = (await readOrder(t, a.orderId)).parcels.map((p) => p.status);
    t.designed(PARCEL_STATUS, () => expect(first, '1. read back').toEqual(['created', 'created']));
    const sticker = t.ref('m');
    const updated = await updateParcel(t, a.orderId, p1.item_id, { merchant_tracking: sticker });
    expectStatus(updated, 200, '2. update at the first step');
    await advance(t, a, p1.parcel_id, 'received');
    expectError(
      t,
      await updateParcel(t, a.orderId, p2.item_id, { weight_grams: 1000 }),
      409,
      undefined,
      '3. update once a parcel was received',
    );
    expectError(t, await cancelOrder(t, a.orderId), 409, undefined, '4. cancel once a parcel was received');
    const read = await readOrder(t, a.orderId);
    expect(read.parcels[0]!.merchant_tracking, '5. read back: the update before the move holds').toBe(sticker);
    t.designed(PARCEL_STATUS, () =>
      expect([read.status, ...read.parcels.map((p) => p.status)], '5. read back').toEqual([
        'in_progress',
        'received',
        'created',
      ]),
    );

    const b = await created(t, homeOrder(t));
    await cancelled(t, b);
    const again = await cancelOrder(t, b.orderId);
    on(again, () =>
      expect(
        again.status >= 200 && again.status < 300,
        `6. cancelling again is accepted (idempotent), got ${again.status}`,
      ).toBe(true),
    );
    t.designed(PARCEL_STATUS, () => {
      expectStatus(again, 200, '6. cancelling again');
      on(again, (x) => expect(x.data.status).toBe('cancelled'));
    });

    const entries = await feedOf(
      t,
      since,
      [a.tracking, b.tracking],
      (es) => count(es, 'status_changed') >= 1 && count(es, 'cancelled') >= 1,
    );
    for (const e of entries)
      expect(e.external_parent_id, 'external_parent_id echoes the order_id').toBe(
        e.tracking_number === a.tracking ? a.orderId : b.orderId,
      );
    t.designed(CHANGE_ENTRY, () => {
      const story = entries.map(
        (e) =>
          `${e.tracking_number === a.tracking ? 'A' : 'B'}:${e.type}:${e.parcel.parcel_id === p1.parcel_id ? 'p1' : e.parcel.parcel_id === p2.parcel_id ? 'p2' : 'b1'}:${e.status}`,
      );
      expect(story, `7. the status pool tells the story once; feed: ${describeFeed(entries)}`).toEqual([
        'A:created:p1:created',
        'A:created:p2:created',
        'A:status_changed:p1:received',
        'B:created:b1:created',
        'B:cancelled:b1:cancelled',
      ]);
      const p1Entries = entries.filter((e) => e.parcel.parcel_id === p1.parcel_id);
      expect(p1Entries.at(-1)!.parcel.merchant_tracking, 'the entry after the update names the new sticker').toBe(
        sticker,
      );
    });
  },
});
