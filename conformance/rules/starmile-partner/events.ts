// Checks of partner events: accepted and applied, order-level moves, resend and conflicts, validation, final states
// (X5).
import { expect } from '../../src/expect.ts';
import { answer, at, currentParcel, json, noConflict, request, response } from '../../src/fault-kit.ts';
import { CHANGE_ENTRY, EVENT_ANSWER, PARCEL_STATUS } from './designed.ts';
import {
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
  orderEvent,
  parcel,
  parcelEvent,
  readOrder,
  reportEvent,
  updateParcel,
  wholeBody,
} from './lib.ts';
import { designed, EVENTS, rule, S000, seed } from './meta.ts';

rule({
  id: 'EVT-ACCEPTED',
  level: 'MUST',
  operations: ['reportEvent', 'getOrder', 'listChanges'],
  tags: ['events', 'feed'],
  title:
    'A valid parcel event is accepted, advances the package, and the change appears in the status pool; designed: 202 with the moves, the parcel received, a status_changed entry.',
  source: seed(S000, 'and then advances the package'),
  fault: answer(
    (r) => at.reportEvent(r) && r.json?.type === 'parcel.received',
    (r) =>
      json(202, {
        data: {
          event_id: r.json.event_id,
          type: r.json.type,
          duplicate: false,
          parcels: [{ parcel_id: r.json.parcel_id, status: 'received' }],
        },
      }),
  ),
  check: async (t) => {
    const order = await created(t, homeOrder(t));
    const pid = order.parcels[0]!.parcel_id;
    const before = (await readOrder(t, order.tracking)).parcels[0]!.status;
    const since = await mark(t);
    const event = parcelEvent(t, 'parcel.received', pid, { location: 'Baku hub' });
    const res = await reportEvent(t, event);
    on(res, () =>
      expect(res.status >= 200 && res.status < 300, `the event is accepted (2xx), got ${res.status}`).toBe(true),
    );
    order.settled = true;
    t.designed(EVENT_ANSWER, () => {
      expectStatus(res, 202);
      on(res, (b) =>
        expect(b.data).toEqual({
          event_id: event.event_id,
          type: 'parcel.received',
          duplicate: false,
          parcels: [{ parcel_id: pid, status: 'received' }],
        }),
      );
    });
    const after = (await readOrder(t, order.tracking)).parcels[0]!.status;
    expect(after, 'the package advanced (read back)').not.toBe(before);
    t.designed(PARCEL_STATUS, () => expect(after, 'parcel.received moves the parcel to received').toBe('received'));
    // "later status changes appear in your status pool" (001): an entry about the order after the mark.
    const entries = await feedOf(t, since, [order.tracking], (es) => count(es, 'status_changed', pid) >= 1);
    expect(entries.length, 'the change appears in the status pool').toBeGreaterThan(0);
    t.designed(CHANGE_ENTRY, () =>
      expect(
        entries.filter((e) => e.type === 'status_changed').map((e) => [e.status, e.previous_status]),
        `feed: ${describeFeed(entries)}`,
      ).toEqual([['received', 'created']]),
    );
  },
});

rule({
  id: 'EVT-ORDER-LEVEL',
  level: 'MUST',
  operations: ['reportEvent'],
  tags: ['events'],
  title: 'An event addressing an order by tracking_number moves each of its parcels.',
  source: designed('Order-level events.', `${EVENTS}/description`, 'X5'),
  fault: response(at.reportEvent, (res, req) => {
    if (req.json?.tracking_number && res.status === 202) res.json.data.parcels = res.json.data.parcels.slice(0, 1);
  }),
  check: async (t) => {
    const order = await created(t, homeOrder(t, { parcels: [parcel(t), parcel(t)] }));
    const res = await reportEvent(t, orderEvent(t, 'shipment.picked_up', order.tracking, { location: 'Guangzhou' }));
    expectStatus(res, 202);
    order.settled = true;
    on(res, (b) =>
      expect(
        b.data.parcels.map((p) => p.status),
        'each parcel moved',
      ).toEqual(['picked_up', 'picked_up']),
    );
    expect(
      (await readOrder(t, order.tracking)).parcels.map((p) => p.status),
      'read back',
    ).toEqual(['picked_up', 'picked_up']);
  },
});

rule({
  id: 'EVT-NO-MOVE',
  level: 'SHOULD',
  operations: ['reportEvent'],
  tags: ['events'],
  title: 'parcel.measured is accepted and moves no status.',
  source: designed('Measuring is not a move.', '/components/schemas/ParcelMeasuredEvent/x-moves-to', 'X5'),
  fault: async (req, ctx) => {
    const res = await ctx.upstream(req);
    if (at.reportEvent(req) && req.json?.type === 'parcel.measured' && res.status === 202)
      await ctx.upstream({
        method: 'POST',
        path: `/_sandbox/parcels/${req.json.parcel_id}/advance`,
        query: new URLSearchParams(),
        headers: { 'content-type': 'application/json' },
        body: Buffer.alloc(0),
        json: { status: 'received' },
      });
    return res;
  },
  check: async (t) => {
    const order = await created(t, homeOrder(t));
    const pid = order.parcels[0]!.parcel_id;
    const since = await mark(t);
    const res = await reportEvent(
      t,
      parcelEvent(t, 'parcel.measured', pid, { weight_grams: 1520, length_mm: 310, width_mm: 205, height_mm: 98 }),
    );
    expectStatus(res, 202);
    on(res, (b) => expect(b.data.parcels.map((p) => p.status)).toEqual(['created']));
    expect((await readOrder(t, order.tracking)).parcels[0]!.status, 'read back').toBe('created');
    // A moving event after it is the marker: once its entry is seen, an entry the measured event caused
    // would be in the feed before it, also on a server that records changes asynchronously.
    expectStatus(await reportEvent(t, parcelEvent(t, 'parcel.received', pid)), 202, 'a moving event after it');
    order.settled = true;
    const entries = await feedOf(t, since, [order.tracking], (es) => count(es, 'status_changed', pid) >= 1);
    const moves = entries.filter((e) => e.type === 'status_changed').map((e) => `${e.previous_status}->${e.status}`);
    expect(moves, `only the marker's move; feed: ${describeFeed(entries)}`).toEqual(['created->received']);
  },
});

rule({
  id: 'EVT-DUPLICATE',
  level: 'MUST',
  operations: ['reportEvent', 'listChanges'],
  tags: ['events'],
  title: 'Resending an accepted event is 200 duplicate:true and changes nothing.',
  source: designed('Resending is harmless.', `${EVENTS}/responses/200`, 'X5'),
  fault: response(at.reportEvent, (res) =>
    res.status === 200 ? json(409, { message: 'The event_id was already used.' }) : undefined,
  ),
  check: async (t) => {
    const order = await created(t, homeOrder(t));
    const pid = order.parcels[0]!.parcel_id;
    const since = await mark(t);
    const event = parcelEvent(t, 'parcel.received', pid);
    expectStatus(await reportEvent(t, event), 202, 'first report');
    order.settled = true;
    // Wait for the first report's entry before resending, so a server that records asynchronously is judged fairly.
    const before = await feedOf(t, since, [order.tracking], (es) => count(es, 'status_changed', pid) >= 1);
    const again = await reportEvent(t, event);
    expectStatus(again, 200, 'the same event resent');
    on(again, (b) => expect([b.data.event_id, b.data.duplicate]).toEqual([event.event_id, true]));
    const after = await feedOf(t, since, [order.tracking]);
    expect(
      after.map((e) => e.id),
      `the resend changed nothing; feed: ${describeFeed(after)}`,
    ).toEqual(before.map((e) => e.id));
  },
});

rule({
  id: 'EVT-ID-CONFLICT',
  level: 'MUST',
  operations: ['reportEvent'],
  tags: ['events'],
  title: 'The same event_id with a different body is 409.',
  source: designed('event_id is unique per partner.', `${EVENTS}/responses/409`, 'X5'),
  fault: response(at.reportEvent, (res, req) =>
    res.status === 409 && /different body/.test(res.json?.message ?? '')
      ? json(200, { data: { event_id: req.json.event_id, type: req.json.type, duplicate: true, parcels: [] } })
      : undefined,
  ),
  check: async (t) => {
    const order = await created(t, homeOrder(t));
    const event = parcelEvent(t, 'parcel.received', order.parcels[0]!.parcel_id, { location: 'Baku hub' });
    expectStatus(await reportEvent(t, event), 202, 'first report');
    order.settled = true;
    expectError(
      t,
      await reportEvent(t, { ...event, data: { location: 'Ganja hub' } }),
      409,
      undefined,
      'the same event_id with another body',
    );
  },
});

rule({
  id: 'EVT-422-INVALID',
  level: 'MUST',
  operations: ['reportEvent'],
  tags: ['events', 'validation'],
  title:
    'An event that does not match the designed catalogue (000: "It is validated before it is accepted") is 422 naming the field and changes nothing.',
  source: designed('The event catalogue: each type a schema with its data.', `${EVENTS}/requestBody`, 'X5'),
  fault: request(at.reportEvent, (req) => {
    if (!req.json) return;
    for (const k of Object.keys(req.json))
      if (!['event_id', 'type', 'occurred_at', 'tracking_number', 'parcel_id', 'data'].includes(k)) delete req.json[k];
  }),
  check: async (t) => {
    const order = await created(t, homeOrder(t));
    const pid = order.parcels[0]!.parcel_id;
    const valid = () => parcelEvent(t, 'parcel.received', pid);
    const { parcel_id: _p, ...noParcel } = valid();
    const { data: _d, ...noData } = parcelEvent(t, 'parcel.measured', pid, { weight_grams: 1 });
    for (const [what, body, field] of [
      ['a type outside the catalogue', { ...valid(), type: 'parcel.teleported' }, 'type'],
      ['parcel.received without parcel_id', noParcel, 'parcel_id'],
      ['parcel.measured without data', noData, 'data'],
      ['an undefined field', { ...valid(), courier: 'x' }, 'courier'],
      ['occurred_at not a date-time', { ...valid(), occurred_at: 'yesterday' }, 'occurred_at'],
      ['a negative measured weight', parcelEvent(t, 'parcel.measured', pid, { weight_grams: -5 }), 'data.weight_grams'],
    ] as const)
      expectError(t, await reportEvent(t, body), 422, field, what);
    expect((await readOrder(t, order.tracking)).parcels[0]!.status, 'nothing moved').toBe('created');
  },
});

/** JSON bodies that are no object: every one is refused as a whole (PartnerEvent is `type: object`). */
const NOT_OBJECTS: [what: string, text: string][] = [
  ['null', 'null'],
  ['an array', '[]'],
  ['a string', '"x"'],
  ['a number', '1'],
  ['a boolean', 'true'],
];

rule({
  id: 'EVT-422-NOT-OBJECT',
  level: 'MUST',
  operations: ['reportEvent'],
  tags: ['events', 'validation'],
  title:
    'An event body that is well-formed JSON but no object (null, an array, a string, a number, a boolean) is 422 naming the body as a whole, never a 5xx.',
  source: designed(
    'An event is an object: PartnerEvent declares type: object, so every validator refuses anything else.',
    '/components/schemas/PartnerEvent/type',
    'X5',
  ),
  // As before PartnerEvent declared type: object: the discriminator let non-objects through to code that expected one.
  fault: answer(
    (r) =>
      at.reportEvent(r) &&
      r.json !== undefined &&
      (r.json === null || typeof r.json !== 'object' || Array.isArray(r.json)),
    () => json(500, { message: 'Internal server error.' }),
  ),
  check: async (t) => {
    for (const [what, text] of NOT_OBJECTS)
      expectError(
        t,
        await t.request({ path: '/api/v1/partner/events', raw: text, headers: { 'Content-Type': 'application/json' } }),
        422,
        wholeBody(),
        `an event body that is ${what}`,
      );
  },
});

rule({
  id: 'EVT-422-UNKNOWN-PACKAGE',
  level: 'MUST',
  operations: ['reportEvent'],
  tags: ['events', 'validation'],
  title: 'An unknown tracking_number or parcel_id is 422 naming it.',
  source: designed('Events address known packages.', `${EVENTS}/responses/422`, 'X5'),
  fault: response(at.reportEvent, (res, req) =>
    res.status === 422 && (res.json?.errors?.parcel_id || res.json?.errors?.tracking_number)
      ? json(202, { data: { event_id: req.json.event_id, type: req.json.type, duplicate: false, parcels: [] } })
      : undefined,
  ),
  check: async (t) => {
    expectError(
      t,
      await reportEvent(t, parcelEvent(t, 'parcel.received', t.ref('nope'))),
      422,
      'parcel_id',
      'an unknown parcel_id',
    );
    expectError(
      t,
      await reportEvent(t, orderEvent(t, 'leg.departed', t.ref('nope'), { from: 'CAN', to: 'GYD' })),
      422,
      'tracking_number',
      'an unknown tracking_number',
    );
  },
});

rule({
  id: 'EVT-409-CANCELLED',
  level: 'MUST',
  operations: ['reportEvent'],
  tags: ['events', 'cancel'],
  title: 'An event on a cancelled order is 409 and changes nothing.',
  source: designed('A cancelled order is final.', `${EVENTS}/responses/409`, 'X5'),
  fault: response(at.reportEvent, (res, req) =>
    res.status === 409 && /cancelled/.test(res.json?.message ?? '')
      ? json(202, { data: { event_id: req.json.event_id, type: req.json.type, duplicate: false, parcels: [] } })
      : undefined,
  ),
  check: async (t) => {
    const order = await created(t, homeOrder(t));
    await cancelled(t, order);
    expectError(
      t,
      await reportEvent(t, parcelEvent(t, 'parcel.received', order.parcels[0]!.parcel_id)),
      409,
      undefined,
      'a parcel event',
    );
    expectError(
      t,
      await reportEvent(t, orderEvent(t, 'customs.held', order.tracking, { reason: 'missing invoice' })),
      409,
      undefined,
      'an order event',
    );
    expect((await readOrder(t, order.tracking)).parcels[0]!.status, 'nothing moved').toBe('cancelled');
  },
});

rule({
  id: 'EVT-409-DELIVERED',
  level: 'MUST',
  operations: ['reportEvent'],
  tags: ['events'],
  title: 'An event on a delivered parcel is 409 and changes nothing.',
  source: designed('A delivered parcel is final.', `${EVENTS}/responses/409`, 'X5'),
  fault: response(at.reportEvent, (res, req) =>
    res.status === 409 && /delivered/.test(res.json?.message ?? '')
      ? json(202, { data: { event_id: req.json.event_id, type: req.json.type, duplicate: false, parcels: [] } })
      : undefined,
  ),
  check: async (t) => {
    const order = await created(t, homeOrder(t));
    const pid = order.parcels[0]!.parcel_id;
    expectStatus(await reportEvent(t, parcelEvent(t, 'parcel.delivered', pid)), 202, 'delivering');
    order.settled = true;
    expectError(
      t,
      await reportEvent(t, parcelEvent(t, 'parcel.out_for_delivery', pid)),
      409,
      undefined,
      'an event after delivery',
    );
    expect((await readOrder(t, order.tracking)).parcels[0]!.status, 'still delivered').toBe('delivered');
  },
});

rule({
  id: 'EVT-BLOCKS-UPDATE',
  level: 'MUST',
  operations: ['reportEvent', 'updateParcel', 'cancelOrder'],
  tags: ['events', 'update', 'cancel', 'lifecycle'],
  title: 'After an event moved a parcel past the first step, update and cancel are 409.',
  source: designed('Events move parcels past the first step.', `${EVENTS}/description`, 'X3'),
  fault: noConflict(at.updateParcel, currentParcel),
  check: async (t) => {
    const order = await created(t, homeOrder(t));
    expectStatus(
      await reportEvent(t, parcelEvent(t, 'parcel.received', order.parcels[0]!.parcel_id)),
      202,
      'receiving the parcel',
    );
    order.settled = true;
    expectError(
      t,
      await updateParcel(t, order.orderId, order.body.parcels[0]!.item_id!, { weight_grams: 999 }),
      409,
      undefined,
      'update after receipt',
    );
    expectError(t, await cancelOrder(t, order.orderId), 409, undefined, 'cancel after receipt');
  },
});
