// The status pool (X4): every change in order, per credential, resumable exactly once through an opaque, unforgeable cursor.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Harness, clearanceOrder, homeOrder, unique } from './helpers.ts';

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(() => h.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const entriesOf = (all: any[], ref: string) => all.filter((e) => e.external_parent_id === ref);

describe('what the pool records', () => {
  test('created, region_resolved, status_changed, cancelled: one entry per parcel, in order', async () => {
    const pair = { parent_region: 'feed', region: unique('leaf') };
    const body = homeOrder({ ...pair, parcels: [{ item_id: unique('P') }, { item_id: unique('P') }] });
    const created = await h.createOrder(body);
    const [a, b] = created.body.data.items;
    const mapped = await h.call('/_sandbox/region-mappings', { json: { client_id: 'sm_test_full', ...pair, starmile_region_id: 102 } });
    expect(mapped.status).toBe(201);
    expect(mapped.body.data.resolved_orders).toEqual([created.body.data.order_id]);
    await h.call(`/_sandbox/parcels/${a.parcel_id}/advance`, { json: { status: 'delivered' } });
    await h.call(`/_sandbox/parcels/${a.parcel_id}/advance`, { json: { status: 'delivered' } });

    const entries = entriesOf(await h.allChanges(), body.order_id as string);
    expect(entries.map((e: any) => [e.type, e.parcel.parcel_id, e.previous_status, e.status, e.region_status])).toEqual([
      ['created', a.parcel_id, null, 'created', 'pending_mapping'],
      ['created', b.parcel_id, null, 'created', 'pending_mapping'],
      ['region_resolved', a.parcel_id, 'created', 'created', 'mapped'],
      ['region_resolved', b.parcel_id, 'created', 'created', 'mapped'],
      ['status_changed', a.parcel_id, 'created', 'delivered', 'mapped'],
    ]);
    const ids = entries.map((e: { id: string }) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const read = await h.call(`/api/v1/orders/${body.order_id}`, { token: await h.token('sm_test_full') });
    expect(read.body.data.region_status).toBe('mapped');
  });

  test('cancel adds one cancelled entry per parcel; a second cancel adds none', async () => {
    const body = clearanceOrder({ parcels: [{}, {}] });
    await h.createOrder(body);
    const token = await h.token('sm_test_full');
    await h.call(`/api/v1/orders/${body.order_id}/cancel`, { method: 'POST', token });
    await h.call(`/api/v1/orders/${body.order_id}/cancel`, { method: 'POST', token });
    const types = entriesOf(await h.allChanges(), body.order_id as string).map((e: any) => [e.type, e.previous_status, e.status]);
    expect(types).toEqual([
      ['created', null, 'created'],
      ['created', null, 'created'],
      ['cancelled', 'created', 'cancelled'],
      ['cancelled', 'created', 'cancelled'],
    ]);
  });

  test('a rejected create and an update add nothing', async () => {
    const before = h.state.feed.length;
    const token = await h.token('sm_test_full');
    await h.call('/api/v1/orders', { token, json: clearanceOrder({ service_id: 9 }) });
    const body = clearanceOrder();
    const created = await h.createOrder(body);
    await h.call(`/api/v1/orders/${body.order_id}/parcels/${created.body.data.items[0].parcel_id}`, { method: 'PATCH', token, json: { weight_grams: 5 } });
    expect(h.state.feed.length).toBe(before + 1);
  });

  test('per credential: the other partner and the other warehouse see none of these entries', async () => {
    const body = clearanceOrder();
    await h.createOrder(body);
    expect(entriesOf(await h.allChanges('sm_test_full'), body.order_id as string)).toHaveLength(1);
    expect(entriesOf(await h.allChanges('sm_test_read'), body.order_id as string)).toHaveLength(1);
    expect(entriesOf(await h.allChanges('sm_other_full'), body.order_id as string)).toHaveLength(0);
    expect(entriesOf(await h.allChanges('sm_test_istanbul'), body.order_id as string)).toHaveLength(0);
  });
});

describe('the cursor', () => {
  test('paging with limit yields every entry exactly once, in order, and has_more tells when to stop', async () => {
    const fresh = await Harness.start();
    try {
      for (let i = 0; i < 7; i++) await fresh.createOrder(clearanceOrder());
      const seen: string[] = [];
      let since: string | undefined;
      const pages: boolean[] = [];
      for (let i = 0; i < 10; i++) {
        const page = await fresh.changes('sm_test_full', since, 3);
        seen.push(...page.body.data.map((e: { id: string }) => e.id));
        pages.push(page.body.has_more);
        since = page.body.next_cursor;
        if (!page.body.has_more) break;
      }
      expect(pages).toEqual([true, true, false]);
      expect(seen).toEqual(fresh.state.feed.map((e) => e.change.id));
      const empty = await fresh.changes('sm_test_full', since, 3);
      expect(empty.body).toMatchObject({ data: [], has_more: false });
      expect(empty.body.next_cursor).toBe(since);
      await fresh.createOrder(clearanceOrder());
      const later = await fresh.changes('sm_test_full', since);
      expect(later.body.data).toHaveLength(1);
    } finally {
      await fresh.close();
    }
  });

  test('an empty feed still returns a cursor, which later yields the first entries', async () => {
    const fresh = await Harness.start();
    try {
      const empty = await fresh.changes('sm_test_istanbul');
      expect(empty.body).toMatchObject({ data: [], has_more: false });
      await fresh.createOrder({ service_id: 10, order_id: 'IST-1', parent_region: '1', region: '2', parcels: [{}] }, 'sm_test_istanbul');
      const next = await fresh.changes('sm_test_istanbul', empty.body.next_cursor);
      expect(next.body.data.map((e: { external_parent_id: string }) => e.external_parent_id)).toEqual(['IST-1']);
    } finally {
      await fresh.close();
    }
  });

  test.each([
    ['garbage', () => Promise.resolve('not-a-cursor')],
    ['tampered sequence', async () => (await h.changes()).body.next_cursor.replace(/^c1\.[0-9a-z]+\./, 'c1.0.')],
    ['another partner\'s cursor', async () => (await h.changes('sm_other_full')).body.next_cursor],
    ['another warehouse\'s cursor', async () => (await h.changes('sm_test_istanbul')).body.next_cursor],
    ['over 512 characters', () => Promise.resolve('c'.repeat(600))],
  ])('%s -> 422 naming since', async (_name, cursor) => {
    const since = await cursor();
    const got = await h.call(`/api/v1/partner/changes?since=${encodeURIComponent(since)}`, { token: await h.token('sm_test_full') });
    expect(got.status).toBe(422);
    expect(Object.keys(got.body.errors)).toEqual(['since']);
  });

  test.each(['0', '1001', '-1', 'ten', '1.5', ''])('limit=%s -> 422 naming limit', async (limit) => {
    const got = await h.call(`/api/v1/partner/changes?limit=${limit}`, { token: await h.token('sm_test_full') });
    expect(got.status).toBe(422);
    expect(Object.keys(got.body.errors)).toEqual(['limit']);
  });

  test.each([
    ['1', 1],
    ['1000', 1000],
  ])('limit=%s is accepted', async (limit, max) => {
    await h.createOrder(clearanceOrder());
    const got = await h.call(`/api/v1/partner/changes?limit=${limit}`, { token: await h.token('sm_test_full') });
    expect(got.status).toBe(200);
    expect(got.body.data.length).toBeLessThanOrEqual(max);
    expect(got.body.data.length).toBeGreaterThan(0);
  });

  test('the default page is 100 entries', async () => {
    for (let i = 0; i < 110 && h.state.feed.filter((e) => e.partnerId === 7 && e.warehouseId === 1).length <= 100; i++) await h.createOrder(clearanceOrder());
    const got = await h.changes();
    expect(got.body.data).toHaveLength(100);
    expect(got.body.has_more).toBe(true);
  });
});

describe('since=now (X10, SB14)', () => {
  test('an empty page at the end: what came before is skipped, what comes after is read from its cursor exactly once', async () => {
    const fresh = await Harness.start();
    try {
      const before = clearanceOrder();
      await fresh.createOrder(before);
      await fresh.createOrder(clearanceOrder());
      const now = await fresh.changes('sm_test_full', 'now', 1);
      expect(now.body).toMatchObject({ data: [], has_more: false });
      // The same position a walk of the whole feed ends at.
      expect(now.body.next_cursor).toBe((await fresh.changes('sm_test_full', undefined, 1000)).body.next_cursor);
      const after = clearanceOrder();
      await fresh.createOrder(after);
      const read = await fresh.changes('sm_test_full', now.body.next_cursor);
      expect(read.body.data.map((e: { external_parent_id: string }) => e.external_parent_id)).toEqual([after.order_id]);
      expect(read.body.has_more).toBe(false);
      expect((await fresh.changes('sm_test_full', read.body.next_cursor)).body.data).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  test('on an empty feed it gives the cursor that later yields the first entry', async () => {
    const fresh = await Harness.start();
    try {
      const now = await fresh.changes('sm_test_istanbul', 'now');
      expect(now.body).toMatchObject({ data: [], has_more: false });
      await fresh.createOrder({ service_id: 10, order_id: 'IST-NOW', parent_region: '1', region: '2', parcels: [{}] }, 'sm_test_istanbul');
      const next = await fresh.changes('sm_test_istanbul', now.body.next_cursor);
      expect(next.body.data.map((e: { external_parent_id: string }) => e.external_parent_id)).toEqual(['IST-NOW']);
    } finally {
      await fresh.close();
    }
  });

  test('per credential: the cursor is bound to its feed and tells nothing of other feeds\' traffic', async () => {
    const fresh = await Harness.start();
    try {
      const quiet = await fresh.changes('sm_test_istanbul', 'now');
      await fresh.createOrder(clearanceOrder());
      await fresh.createOrder(homeOrder(), 'sm_other_full');
      // Another feed's activity does not move this feed's end.
      expect((await fresh.changes('sm_test_istanbul', 'now')).body.next_cursor).toBe(quiet.body.next_cursor);
      const mine = await fresh.changes('sm_test_full', 'now');
      const got = await fresh.call(`/api/v1/partner/changes?since=${encodeURIComponent(mine.body.next_cursor)}`, { token: await fresh.token('sm_other_full') });
      expect(got.status).toBe(422);
      expect(Object.keys(got.body.errors)).toEqual(['since']);
    } finally {
      await fresh.close();
    }
  });

  test.each([
    ['NOW', 'since'],
    ['now ', 'since'],
    ['latest', 'since'],
  ])('since=%s is not the reserved value -> 422 naming %s', async (since, field) => {
    const got = await h.call(`/api/v1/partner/changes?since=${encodeURIComponent(since)}`, { token: await h.token('sm_test_full') });
    expect(got.status).toBe(422);
    expect(Object.keys(got.body.errors)).toEqual([field]);
  });

  test.each(['0', '1001', 'ten'])('since=now&limit=%s -> 422 naming limit, as on any read', async (limit) => {
    const got = await h.call(`/api/v1/partner/changes?since=now&limit=${limit}`, { token: await h.token('sm_test_full') });
    expect(got.status).toBe(422);
    expect(Object.keys(got.body.errors)).toEqual(['limit']);
  });

  test('needs status:read like any read', async () => {
    const got = await h.call('/api/v1/partner/changes?since=now', { token: await h.token('sm_test_writer') });
    expect(got.status).toBe(403);
  });
});

describe('a read does not grow with the feed\'s history', () => {
  const HISTORY = 20_000;
  const LIMIT = 10;
  let big: Harness;
  let reads = 0;
  const cursors: Record<string, string> = {};
  beforeAll(async () => {
    big = await Harness.start();
    for (let loaded = 0; loaded < HISTORY; loaded += 5000) await big.call('/_sandbox/orders/preload', { json: { client_id: 'sm_test_full', count: 5000 } });
    // Count every element read of the credential's list and of the global one: a scan or a filter over either would show.
    const watch = <T extends object>(list: T[]) =>
      new Proxy(list, {
        get(target, key, receiver) {
          if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
          return Reflect.get(target, key, receiver);
        },
      });
    const state = big.state as unknown as { feed: object[]; feedByTenant: Map<string, object[]> };
    state.feed = watch(state.feed);
    for (const [key, list] of state.feedByTenant) state.feedByTenant.set(key, watch(list));
    const middle = (await big.changes('sm_test_full', undefined, 1000)).body.next_cursor;
    cursors.middle = middle;
    cursors.end = (await big.changes('sm_test_full', 'now')).body.next_cursor;
  }, 60_000);
  afterAll(() => big?.close());

  test.each([
    ['from the oldest entry', () => undefined],
    ['from a cursor 1,000 entries in', () => cursors.middle],
    ['from the end cursor', () => cursors.end],
    ['from now', () => 'now'],
  ])('%s: at most limit + a binary search of entries are touched out of 20,000', async (_name, since) => {
    reads = 0;
    const got = await big.changes('sm_test_full', since(), LIMIT);
    expect(got.body.data.length).toBeLessThanOrEqual(LIMIT);
    expect(reads).toBeGreaterThan(0);
    expect(reads).toBeLessThanOrEqual(LIMIT + 2 * Math.ceil(Math.log2(HISTORY)) + 2);
  });
});
