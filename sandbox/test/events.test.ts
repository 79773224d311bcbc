// Partner events (X5): the catalogue as the spec defines it, idempotent resends, 409 on conflicts, 422 for packages not
// the partner's, and the moves they make.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadSpec } from '../../contract/index.ts';
import { eventCatalogue } from '../src/events.ts';
import { clearanceOrder, type Harness, startWithToken, unique } from './helpers.ts';
import { services } from './roles.ts';

let h: Harness;
let token: string;
beforeAll(async () => {
  ({ h, token } = await startWithToken());
});
afterAll(() => h.close());

const at = '2026-11-24T06:40:00Z';
const payloads: Record<string, Record<string, unknown> | undefined> = {
  'shipment.picked_up': undefined,
  'shipment.handed_over': { carrier: 'AZAL cargo' },
  'parcel.received': { location: 'GYD hub' },
  'parcel.measured': { weight_grams: 1460, length_mm: 320 },
  'parcel.out_for_delivery': { courier: 'R. K.' },
  'parcel.delivered': { recipient_name: 'Aysel M.' },
  'parcel.delivery_failed': { reason: 'Nobody home' },
  'customs.held': { reason: 'Invoice missing' },
  'customs.cleared': { declaration_id: 'D-1' },
  'leg.departed': { from: 'CAN', to: 'GYD' },
  'leg.arrived': { from: 'CAN', to: 'GYD' },
};

async function newOrder(parcels = 2) {
  const body = clearanceOrder({ parcels: Array.from({ length: parcels }, () => ({ item_id: unique('P') })) });
  const got = await h.createOrder(body);
  return {
    tracking: got.body.data.order_id as string,
    ref: body.order_id as string,
    parcels: (got.body.data.items as { parcel_id: string }[]).map((i) => i.parcel_id),
  };
}

function event(type: string, target: { tracking_number: string } | { parcel_id: string }, eventId = unique('evt')) {
  const data = payloads[type];
  return { event_id: eventId, type, occurred_at: at, ...target, ...(data ? { data } : {}) };
}

const report = (body: unknown, as = token) => h.call('/api/v1/partner/events', { token: as, json: body });

test("the catalogue is read from the spec and matches the table in reportEvent's description", () => {
  const description: string = loadSpec('starmile-partner').paths['/api/v1/partner/events'].post.description;
  const rows = [
    ...description.matchAll(/^\| `([a-z._]+)` \| (order|parcel) \(`\w+`\) \| (?:`(\w+)`|\(unchanged[^|]*\)) \|/gm),
  ];
  expect(rows).toHaveLength(11);
  const fromTable = rows.map((m) => [m[1], { type: m[1], addresses: m[2], movesTo: m[3] ?? null }]);
  expect(Object.fromEntries(eventCatalogue())).toEqual(Object.fromEntries(fromTable));
  expect(Object.keys(payloads).sort()).toEqual([...eventCatalogue().keys()].sort());
});

describe.each([...eventCatalogue().values()])('$type', (kind) => {
  test(`moves every addressed parcel to ${kind.movesTo ?? '(unchanged)'}, one feed entry per move, 202`, async () => {
    const o = await newOrder();
    const target = kind.addresses === 'order' ? { tracking_number: o.tracking } : { parcel_id: o.parcels[0]! };
    const before = h.state.feed.length;
    const got = await report(event(kind.type, target));
    expect(got.status).toBe(202);
    const moved = kind.addresses === 'order' ? o.parcels : [o.parcels[0]!];
    expect(got.body.data).toMatchObject({ type: kind.type, duplicate: false });
    expect(got.body.data.parcels).toEqual(moved.map((parcel_id) => ({ parcel_id, status: kind.movesTo ?? 'created' })));
    expect(h.state.feed.length - before).toBe(kind.movesTo ? moved.length : 0);
  });
});

describe('idempotency and conflicts', () => {
  test('resent with the same event_id and body (any key order): 200 duplicate, nothing changes', async () => {
    const o = await newOrder(1);
    const body = event('parcel.received', { parcel_id: o.parcels[0]! });
    expect((await report(body)).status).toBe(202);
    await h.call(`/_sandbox/parcels/${o.parcels[0]}/advance`, { json: { status: 'in_transit' } });
    const before = h.state.snapshot();
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const again = await report(reordered);
    expect(again.status).toBe(200);
    expect(again.body.data).toMatchObject({
      event_id: body.event_id,
      duplicate: true,
      parcels: [{ parcel_id: o.parcels[0], status: 'received' }],
    });
    expect(h.state.snapshot()).toBe(before);
  });

  test('same event_id, different body: 409, nothing changes', async () => {
    const o = await newOrder(1);
    const body = event('parcel.received', { parcel_id: o.parcels[0]! });
    await report(body);
    const before = h.state.snapshot();
    const got = await report({ ...body, occurred_at: '2026-11-24T07:00:00Z' });
    expect(got.status).toBe(409);
    expect(h.state.snapshot()).toBe(before);
  });

  test('event ids are per partner: another partner may use the same id', async () => {
    const mine = await newOrder(1);
    const id = unique('evt');
    expect((await report(event('parcel.received', { parcel_id: mine.parcels[0]! }, id))).status).toBe(202);
    const theirs = await h.createOrder(
      { service_id: services.otherPartner, order_id: unique('PO'), parent_region: 'AB', region: 'NS', parcels: [{}] },
      'sm_other_full',
    );
    const got = await report(
      event('parcel.received', { parcel_id: theirs.body.data.items[0].parcel_id }, id),
      await h.token('sm_other_full'),
    );
    expect(got.status).toBe(202);
  });

  test('no feed entry when the status does not change', async () => {
    const o = await newOrder(1);
    await report(event('parcel.received', { parcel_id: o.parcels[0]! }));
    const before = h.state.feed.length;
    const got = await report(event('parcel.received', { parcel_id: o.parcels[0]! }));
    expect(got.status).toBe(202);
    expect(h.state.feed.length).toBe(before);
  });

  test.each([
    ['a cancelled order', 'cancel'],
    ['a delivered parcel', 'deliver'],
  ])('%s: 409, nothing changes', async (_name, how) => {
    const o = await newOrder(1);
    if (how === 'cancel') await h.call(`/api/v1/orders/${o.ref}/cancel`, { method: 'POST', token });
    else await report(event('parcel.delivered', { parcel_id: o.parcels[0]! }));
    const before = h.state.snapshot();
    const got = await report(event('leg.arrived', { tracking_number: o.tracking }));
    expect(got.status).toBe(409);
    expect(h.state.snapshot()).toBe(before);
  });

  test('an accepted event moves the order past its first step: update and cancel become 409', async () => {
    const o = await newOrder(1);
    await report(event('shipment.picked_up', { tracking_number: o.tracking }));
    expect((await h.call(`/api/v1/orders/${o.ref}/cancel`, { method: 'POST', token })).status).toBe(409);
    expect((await h.updateParcel(token, o.ref, o.parcels[0]!, { weight_grams: 3 })).status).toBe(409);
  });
});

describe('invalid events -> 422 naming the field, nothing changes', () => {
  test.each([
    ['unknown type', () => ({ event_id: 'e', type: 'parcel.teleported', occurred_at: at, parcel_id: 'SP1' }), 'type'],
    ['missing event_id', () => ({ type: 'parcel.received', occurred_at: at, parcel_id: 'SP1' }), 'event_id'],
    [
      'occurred_at not a date-time',
      () => ({ event_id: 'e', type: 'parcel.received', occurred_at: 'yesterday', parcel_id: 'SP1' }),
      'occurred_at',
    ],
    [
      'order event with parcel_id',
      () => ({ event_id: 'e', type: 'shipment.picked_up', occurred_at: at, parcel_id: 'SP1' }),
      'tracking_number',
    ],
    [
      'missing required data',
      () => ({ event_id: 'e', type: 'shipment.handed_over', occurred_at: at, tracking_number: 'SM1', data: {} }),
      'data.carrier',
    ],
    [
      'unknown data field',
      () => ({ event_id: 'e', type: 'parcel.received', occurred_at: at, parcel_id: 'SP1', data: { dock: 3 } }),
      'data.dock',
    ],
    [
      'measured weight 0',
      () => ({ event_id: 'e', type: 'parcel.measured', occurred_at: at, parcel_id: 'SP1', data: { weight_grams: 0 } }),
      'data.weight_grams',
    ],
  ])('%s -> %s', async (_name, make, field) => {
    const before = h.state.snapshot();
    const got = await report(make());
    expect(got.status).toBe(422);
    expect(Object.keys(got.body.errors)).toContain(field);
    expect(h.state.snapshot()).toBe(before);
  });

  test.each([
    ['parcel', 'parcel_id'],
    ['order', 'tracking_number'],
  ])("another partner's %s, or an unknown one -> 422 naming %s", async (kind, field) => {
    const theirs = await h.createOrder(
      { service_id: services.otherPartner, order_id: unique('PO'), parent_region: 'AB', region: 'NS', parcels: [{}] },
      'sm_other_full',
    );
    const target = kind === 'parcel' ? theirs.body.data.items[0].parcel_id : theirs.body.data.order_id;
    const type = kind === 'parcel' ? 'parcel.received' : 'leg.arrived';
    for (const value of [target, 'SP0000000000-unknown']) {
      const before = h.state.snapshot();
      const got = await report(event(type, { [field]: value } as never));
      expect(got.status).toBe(422);
      expect(Object.keys(got.body.errors)).toEqual([field]);
      expect(h.state.snapshot()).toBe(before);
    }
    const read = await h.call(`/api/v1/orders/${theirs.body.data.order_id}`, { token: await h.token('sm_other_full') });
    expect(read.body.data.parcels[0].status).toBe('created');
  });
});
