// The status pool (X4): every change in order, per credential, resumable exactly once through an opaque, unforgeable
// cursor.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadSpec } from '../../contract/index.ts';
import { clearanceOrder, Harness, homeOrder, unique, withFreshSandbox } from './helpers.ts';
import { credentials, services } from './roles.ts';

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(() => h.close());

/** The page size's bounds and default, and the longest cursor, as the spec states them. */
const PAGE = loadSpec('starmile-partner').components.parameters.Limit.schema as {
  minimum: number;
  maximum: number;
  default: number;
};
const SINCE_MAX: number = loadSpec('starmile-partner').components.schemas.ChangesSince.anyOf[1].maxLength;

/**
 * On a fresh sandbox the Istanbul feed is empty: the cursor of a read `since` (none: its start; `now`: its end) yields
 * the order created after it.
 */
async function emptyFeedYieldsFirstEntry(since: string | undefined, ref: string) {
  await withFreshSandbox(async (fresh) => {
    const empty = await fresh.changes('sm_test_istanbul', since);
    expect(empty.body).toMatchObject({ data: [], has_more: false });
    await fresh.createOrder(
      { service_id: services.otherWarehouse, order_id: ref, parent_region: '1', region: '2', parcels: [{}] },
      'sm_test_istanbul',
    );
    const next = await fresh.changes('sm_test_istanbul', empty.body.next_cursor);
    expect(next.body.data.map((e: { external_parent_id: string }) => e.external_parent_id)).toEqual([ref]);
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const entriesOf = (all: any[], ref: string) => all.filter((e) => e.external_parent_id === ref);

describe('what the pool records', () => {
  test('created, region_resolved, status_changed, cancelled: one entry per parcel, in order', async () => {
    const pair = { parent_region: 'feed', region: unique('leaf') };
    const body = homeOrder({ ...pair, parcels: [{ item_id: unique('P') }, { item_id: unique('P') }] });
    const created = await h.createOrder(body);
    const [a, b] = created.body.data.items;
    const mapped = await h.call('/_sandbox/region-mappings', {
      json: { client_id: 'sm_test_full', ...pair, starmile_region_id: 102 },
    });
    expect(mapped.status).toBe(201);
    expect(mapped.body.data.resolved_orders).toEqual([created.body.data.order_id]);
    await h.call(`/_sandbox/parcels/${a.parcel_id}/advance`, { json: { status: 'delivered' } });
    await h.call(`/_sandbox/parcels/${a.parcel_id}/advance`, { json: { status: 'delivered' } });

    const entries = entriesOf(await h.allChanges(), body.order_id as string);
    expect(entries.map((e: any) => [e.type, e.parcel.parcel_id, e.previous_status, e.status, e.region_status])).toEqual(
      [
        ['created', a.parcel_id, null, 'created', 'pending_mapping'],
        ['created', b.parcel_id, null, 'created', 'pending_mapping'],
        ['region_resolved', a.parcel_id, 'created', 'created', 'mapped'],
        ['region_resolved', b.parcel_id, 'created', 'created', 'mapped'],
        ['status_changed', a.parcel_id, 'created', 'delivered', 'mapped'],
      ],
    );
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
    const types = entriesOf(await h.allChanges(), body.order_id as string).map((e: any) => [
      e.type,
      e.previous_status,
      e.status,
    ]);
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
    await h.call('/api/v1/orders', { token, json: clearanceOrder({ service_id: services.inactiveRate }) });
    const body = clearanceOrder();
    const created = await h.createOrder(body);
    await h.updateParcel(token, body.order_id as string, created.body.data.items[0].parcel_id, { weight_grams: 5 });
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
    await withFreshSandbox(async (fresh) => {
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
    });
  });

  test('an empty feed still returns a cursor, which later yields the first entries', () =>
    emptyFeedYieldsFirstEntry(undefined, 'IST-1'));

  // A garbage or other partner's cursor, and a limit of 0, over the maximum or not a number: the conformance suite
  // checks them against this sandbox (FEED-422-CURSOR, FEED-422-LIMIT); these are the cases it does not try. A tampered
  // sequence is one: the suite cannot know the sandbox's cursor format (`c1.<sequence>.<MAC>`).
  test.each([
    [
      'tampered sequence, its MAC kept',
      async () => {
        await h.createOrder(clearanceOrder());
        const cursor: string = (await h.changes()).body.next_cursor;
        const tampered = cursor.replace(/^c1\.[0-9a-z]+\./, 'c1.0.');
        expect(tampered, 'the sequence was changed').not.toBe(cursor);
        return tampered;
      },
    ],
    ["another warehouse's cursor", async () => (await h.changes('sm_test_istanbul')).body.next_cursor],
    [`over ${SINCE_MAX} characters`, () => Promise.resolve('c'.repeat(SINCE_MAX + 1))],
  ])('%s -> 422 naming since', async (_name, cursor) => {
    const since = await cursor();
    const got = await h.call(`/api/v1/partner/changes?since=${encodeURIComponent(since)}`, {
      token: await h.token('sm_test_full'),
    });
    expect(got.status).toBe(422);
    expect(Object.keys(got.body.errors)).toEqual(['since']);
  });

  test.each(['-1', '1.5', ''])('limit=%s -> 422 naming limit', async (limit) => {
    const got = await h.call(`/api/v1/partner/changes?limit=${limit}`, { token: await h.token('sm_test_full') });
    expect(got.status).toBe(422);
    expect(Object.keys(got.body.errors)).toEqual(['limit']);
  });

  test.each([
    [String(PAGE.minimum), PAGE.minimum],
    [String(PAGE.maximum), PAGE.maximum],
  ])('limit=%s is accepted', async (limit, max) => {
    await h.createOrder(clearanceOrder());
    const got = await h.call(`/api/v1/partner/changes?limit=${limit}`, { token: await h.token('sm_test_full') });
    expect(got.status).toBe(200);
    expect(got.body.data.length).toBeLessThanOrEqual(max);
    expect(got.body.data.length).toBeGreaterThan(0);
  });

  test(`the default page is ${PAGE.default} entries`, async () => {
    const mine = (e: { partnerId: number; warehouseId: number }) =>
      e.partnerId === credentials.full.partner_id && e.warehouseId === credentials.full.org_country_id;
    for (let i = 0; i < PAGE.default + 10 && h.state.feed.filter(mine).length <= PAGE.default; i++)
      await h.createOrder(clearanceOrder());
    const got = await h.changes();
    expect(got.body.data).toHaveLength(PAGE.default);
    expect(got.body.has_more).toBe(true);
  });
});

describe('since=now (X10, SB14)', () => {
  test('an empty page at the end: what came before is skipped, what comes after is read from its cursor exactly once', async () => {
    await withFreshSandbox(async (fresh) => {
      const before = clearanceOrder();
      await fresh.createOrder(before);
      await fresh.createOrder(clearanceOrder());
      const now = await fresh.changes('sm_test_full', 'now', 1);
      expect(now.body).toMatchObject({ data: [], has_more: false });
      // The same position a walk of the whole feed ends at.
      expect(now.body.next_cursor).toBe(
        (await fresh.changes('sm_test_full', undefined, PAGE.maximum)).body.next_cursor,
      );
      const after = clearanceOrder();
      await fresh.createOrder(after);
      const read = await fresh.changes('sm_test_full', now.body.next_cursor);
      expect(read.body.data.map((e: { external_parent_id: string }) => e.external_parent_id)).toEqual([after.order_id]);
      expect(read.body.has_more).toBe(false);
      expect((await fresh.changes('sm_test_full', read.body.next_cursor)).body.data).toEqual([]);
    });
  });

  test('on an empty feed it gives the cursor that later yields the first entry', () =>
    emptyFeedYieldsFirstEntry('now', 'IST-NOW'));

  test("per credential: the cursor is bound to its feed and tells nothing of other feeds' traffic", async () => {
    await withFreshSandbox(async (fresh) => {
      const quiet = await fresh.changes('sm_test_istanbul', 'now');
      await fresh.createOrder(clearanceOrder());
      await fresh.createOrder(homeOrder(), 'sm_other_full');
      // Another feed's activity does not move this feed's end.
      expect((await fresh.changes('sm_test_istanbul', 'now')).body.next_cursor).toBe(quiet.body.next_cursor);
      const mine = await fresh.changes('sm_test_full', 'now');
      const got = await fresh.call(`/api/v1/partner/changes?since=${encodeURIComponent(mine.body.next_cursor)}`, {
        token: await fresh.token('sm_other_full'),
      });
      expect(got.status).toBe(422);
      expect(Object.keys(got.body.errors)).toEqual(['since']);
    });
  });

  test.each([
    ['NOW', 'since'],
    ['now ', 'since'],
    ['latest', 'since'],
  ])('since=%s is not the reserved value -> 422 naming %s', async (since, field) => {
    const got = await h.call(`/api/v1/partner/changes?since=${encodeURIComponent(since)}`, {
      token: await h.token('sm_test_full'),
    });
    expect(got.status).toBe(422);
    expect(Object.keys(got.body.errors)).toEqual([field]);
  });

  test.each([String(PAGE.minimum - 1), String(PAGE.maximum + 1), 'ten'])(
    'since=now&limit=%s -> 422 naming limit, as on any read',
    async (limit) => {
      const got = await h.call(`/api/v1/partner/changes?since=now&limit=${limit}`, {
        token: await h.token('sm_test_full'),
      });
      expect(got.status).toBe(422);
      expect(Object.keys(got.body.errors)).toEqual(['limit']);
    },
  );

  test('needs status:read like any read', async () => {
    const got = await h.call('/api/v1/partner/changes?since=now', { token: await h.token('sm_test_writer') });
    expect(got.status).toBe(403);
  });
});

describe("a read does not grow with the feed's history", () => {
  const HISTORY = 20_000;
  const LIMIT = 10;
  let big: Harness;
  let reads = 0;
  const cursors: Record<string, string> = {};
  beforeAll(async () => {
    big = await Harness.start();
    for (let loaded = 0; loaded < HISTORY; loaded += 5000)
      await big.call('/_sandbox/orders/preload', { json: { client_id: 'sm_test_full', count: 5000 } });
    // Count every element read of the credential's list and of the global one: a scan or a filter over either would
    // show.
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
    const middle = (await big.changes('sm_test_full', undefined, PAGE.maximum)).body.next_cursor;
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
