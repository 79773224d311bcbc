// Checks of the status pool: each kind of change appears, cursors resume without gaps or duplicates, bad cursors and
// limits are 422.

import type { Change } from '../../../contract/starmile-partner.ts';
import type { Who } from '../../src/context.ts';
import { expect } from '../../src/expect.ts';
import { at, kept, mapEntries, mapPage, request } from '../../src/fault-kit.ts';
import { CHANGE_ENTRY } from './designed.ts';
import {
  advance,
  cancelled,
  count,
  created,
  describeFeed,
  eachParcelHas,
  expectError,
  expectStatus,
  feedOf,
  homeOrder,
  mark,
  on,
  parcel,
  readFeed,
  sinceNow,
} from './lib.ts';
import { CHANGES, designed, rule, S000, S001, seed } from './meta.ts';
import { pageLimit } from './spec.ts';

const LIMIT = pageLimit();

rule({
  id: 'FEED-CREATED',
  level: 'MUST',
  operations: ['listChanges'],
  tags: ['feed'],
  title:
    "A new order appears in the status pool under its tracking number, echoing the partner's order_id as external_parent_id; designed: one created entry per parcel with the parcel's references, status and region_status.",
  source: seed(S000, 'Your own reference for a parent order, echoed back on the order and in the status pool.'),
  fault: mapEntries(at.listChanges, (es) =>
    es.map((e) => (e.type === 'created' ? { ...e, external_parent_id: e.tracking_number } : e)),
  ),
  check: async (t) => {
    const since = await mark(t);
    const order = await created(t, homeOrder(t, { parcels: [parcel(t), parcel(t)] }));
    const entries = await feedOf(t, since, [order.tracking], eachParcelHas(order, 'created'));
    expect(entries.length, `entries about ${order.tracking} in the status pool`).toBeGreaterThan(0);
    for (const e of entries) expect(e.external_parent_id, `entry ${e.id} echoes the order_id`).toBe(order.orderId);
    t.designed(CHANGE_ENTRY, () =>
      order.body.parcels.forEach((sent, i) => {
        const pid = order.parcels[i]!.parcel_id;
        const mine = entries.filter((e) => e.type === 'created' && e.parcel.parcel_id === pid);
        expect(mine.length, `one created entry for parcel ${pid}; feed: ${describeFeed(entries)}`).toBe(1);
        const e = mine[0]!;
        expect({ parcel: e.parcel, status: e.status, region_status: e.region_status }).toEqual({
          parcel: { parcel_id: pid, item_id: sent.item_id, merchant_tracking: sent.merchant_tracking },
          status: 'created',
          region_status: 'mapped',
        });
      }),
    );
  },
});

rule({
  id: 'FEED-STATUS-CHANGED',
  level: 'MUST',
  operations: ['listChanges'],
  tags: ['feed', 'lifecycle'],
  title:
    "A status move appears in the status pool after the order's creation; designed: as a status_changed entry with the new and previous status.",
  source: seed(S001, 'later status changes appear in your status pool'),
  hooks: ['advanceParcel'],
  fault: mapEntries(at.listChanges, (es) => es.filter((e) => e.type !== 'status_changed')),
  check: async (t) => {
    t.needHook('advanceParcel');
    const before = await mark(t);
    const order = await created(t, homeOrder(t));
    const pid = order.parcels[0]!.parcel_id;
    // The second mark follows the creation's own entries, so what comes after it is the move.
    await feedOf(t, before, [order.tracking], eachParcelHas(order, 'created'));
    const since = await mark(t);
    await advance(t, order, pid, 'received');
    const entries = await feedOf(t, since, [order.tracking], (es) => count(es, 'status_changed', pid) >= 1);
    expect(entries.length, `an entry about ${order.tracking} after the move`).toBeGreaterThan(0);
    t.designed(CHANGE_ENTRY, () =>
      expect(
        entries.filter((e) => e.type === 'status_changed').map((e) => [e.status, e.previous_status]),
        `feed: ${describeFeed(entries)}`,
      ).toEqual([['received', 'created']]),
    );
  },
});

rule({
  id: 'FEED-CANCELLED',
  level: 'MUST',
  operations: ['listChanges', 'cancelOrder'],
  tags: ['feed', 'cancel'],
  title: 'A cancel appears as one cancelled entry per parcel.',
  source: designed('Every change appears in the pool.', '/components/schemas/ChangeType', 'X4'),
  fault: mapEntries(at.listChanges, (es) => es.filter((e) => e.type !== 'cancelled')),
  check: async (t) => {
    const since = await mark(t);
    const order = await created(t, homeOrder(t, { parcels: [parcel(t), parcel(t)] }));
    await cancelled(t, order);
    const entries = await feedOf(t, since, [order.tracking], eachParcelHas(order, 'cancelled'));
    for (const p of order.parcels) {
      const e = entries.filter((x) => x.type === 'cancelled' && x.parcel.parcel_id === p.parcel_id);
      expect(
        e.map((x) => x.status),
        `one cancelled entry for ${p.parcel_id}; feed: ${describeFeed(entries)}`,
      ).toEqual(['cancelled']);
    }
  },
});

/**
 * Walks the feed one entry per page, creating an order between two polls; returns every entry seen and the last cursor.
 */
async function walkByOne(
  t: Parameters<typeof mark>[0],
  since: string,
  as: Who,
  between: () => Promise<void>,
): Promise<{ seen: Change[]; cursor: string }> {
  const seen: Change[] = [];
  let cursor = since;
  let didBetween = false;
  for (let page = 0; page < 5_000; page++) {
    const res = await t.request<{ data: Change[]; next_cursor: string; has_more: boolean }>({
      path: '/api/v1/partner/changes',
      query: { since: cursor, limit: 1 },
      as,
    });
    expectStatus(res, 200, 'a page of one');
    expect(res.body.data.length, 'a page holds at most limit entries').toBeLessThanOrEqual(1);
    seen.push(...res.body.data);
    cursor = res.body.next_cursor;
    if (!didBetween) {
      didBetween = true;
      await between();
      continue;
    }
    if (!res.body.has_more) return { seen, cursor };
  }
  throw new Error('the feed did not end within 5000 pages of one');
}

rule({
  id: 'FEED-RESUME',
  level: 'MUST',
  operations: ['listChanges'],
  tags: ['feed'],
  title:
    'Resuming from a cursor yields every later entry exactly once, in order, whatever the page size; every page (empty ones too) has next_cursor.',
  source: designed('Cursor semantics.', `${CHANGES}/description`, 'X4'),
  fault: async (req, ctx) => {
    // Off by one: a page resumed from a cursor repeats the entry the cursor points at.
    const last = kept(ctx, 'last', () => new Map<string, unknown>());
    const res = await ctx.upstream(req);
    if (!at.listChanges(req) || res.status !== 200) return res;
    const since = req.query.get('since');
    const repeated = since ? last.get(since) : undefined;
    const tail = res.json.data.at(-1);
    if (tail) last.set(res.json.next_cursor, tail);
    else if (repeated) last.set(res.json.next_cursor, repeated);
    if (repeated) res.json.data = [repeated, ...res.json.data];
    return res;
  },
  check: async (t) => {
    // The quietest feed the profile has (the other warehouse's, where no other rule creates orders): a walk by pages
    // of one then spans this rule's entries, not the whole run's traffic.
    const quiet = t.profile.credentials.otherWarehouse && t.fixtures.services.otherWarehouse !== undefined;
    const as: Who = quiet ? 'otherWarehouse' : 'full';
    const order = (over: Partial<Parameters<typeof homeOrder>[1]> = {}) =>
      homeOrder(t, { ...(quiet ? { service_id: t.fixtures.services.otherWarehouse! } : {}), ...over });
    const since = await mark(t, as);
    const a = await created(t, order({ parcels: [parcel(t), parcel(t)] }), as);
    await feedOf(t, since, [a.tracking], eachParcelHas(a, 'created'), as);
    let b: Awaited<ReturnType<typeof created>> | undefined;
    // Another order is created after the first poll: resuming must still return it, once.
    const { seen, cursor } = await walkByOne(t, since, as, async () => {
      b = await created(t, order(), as);
      await feedOf(t, since, [b.tracking], eachParcelHas(b, 'created'), as);
    });
    const trackings = [a.tracking, b!.tracking];
    const own = (es: Change[]) => es.filter((e) => trackings.includes(e.tracking_number));
    const ids = seen.map((e) => e.id);
    expect(ids.length - new Set(ids).size, 'no entry is returned twice').toBe(0);
    const oneShot = (await readFeed(t, since, as, (e) => trackings.includes(e.tracking_number))).entries;
    expect(
      own(seen).map((e) => e.id),
      `pages of one return what one page of ${LIMIT.maximum} returns, in the same order`,
    ).toEqual(oneShot.map((e) => e.id));
    expect(count(own(seen), 'created'), `three created entries; seen: ${describeFeed(own(seen))}`).toBe(3);
    const times = own(seen).map((e) => Date.parse(e.occurred_at));
    expect(times, 'oldest first').toEqual([...times].sort((x, y) => x - y));
    // From the last cursor: only what happened after it.
    await cancelled(t, a);
    const after = await feedOf(t, cursor, trackings, eachParcelHas(a, 'cancelled'), as);
    expect(
      after.map((e) => e.type),
      `after the cursor only the new changes; got ${describeFeed(after)}`,
    ).toEqual(['cancelled', 'cancelled']);
    const tail = await readFeed(t, (await readFeed(t, cursor, as, () => false)).cursor, as, (e) =>
      trackings.includes(e.tracking_number),
    );
    expect(tail.entries, 'at the end, an empty page').toEqual([]);
    expect(typeof tail.cursor, 'an empty page has next_cursor').toBe('string');
  },
});

rule({
  id: 'FEED-SINCE-NOW',
  level: 'MUST',
  operations: ['listChanges'],
  tags: ['feed'],
  title:
    "since=now answers an empty page (has_more false) whose next_cursor stands at the feed's current end: an entry recorded before it is not read from that cursor, one recorded after it is, once; limit is validated as on any read.",
  source: designed(
    "A consumer without a cursor can start at the feed's current end instead of walking its history.",
    '/components/schemas/ChangesSince',
    'X10',
  ),
  // A server that does not know "now" reads the feed from its oldest entry.
  fault: request(at.listChanges, (req) => void (req.query.get('since') === sinceNow() && req.query.delete('since'))),
  check: async (t) => {
    const start = await mark(t);
    const before = await created(t, homeOrder(t));
    // The entry must be recorded (also on a server that records asynchronously) before the end is asked for.
    const recorded = await feedOf(t, start, [before.tracking], eachParcelHas(before, 'created'));
    expect(count(recorded, 'created'), `the order created before since=${sinceNow()} is in the feed`).toBe(1);
    const now = await t.request<{ data: Change[]; next_cursor: string; has_more: boolean }>({
      path: '/api/v1/partner/changes',
      query: { since: sinceNow() },
    });
    expectStatus(now, 200, `since=${sinceNow()}`);
    on(now, (b) => {
      expect(b.data.length, `since=${sinceNow()} answers no entry`).toBe(0);
      expect(b.has_more, 'and has_more false').toBe(false);
      expect(
        typeof b.next_cursor === 'string' && b.next_cursor !== sinceNow(),
        `next_cursor is a cursor, never "${sinceNow()}"`,
      ).toBe(true);
    });
    const after = await created(t, homeOrder(t));
    const entries = await feedOf(
      t,
      now.body.next_cursor,
      [before.tracking, after.tracking],
      eachParcelHas(after, 'created'),
    );
    expect(
      entries.filter((e) => e.tracking_number === before.tracking).map((e) => e.id),
      'an entry recorded before since=now is not read from its cursor',
    ).toEqual([]);
    expect(count(entries, 'created'), `the order created after it shows once; feed: ${describeFeed(entries)}`).toBe(1);
    expectError(
      t,
      await t.request({ path: '/api/v1/partner/changes', query: { since: sinceNow(), limit: 0 } }),
      422,
      'limit',
      `since=${sinceNow()} with limit=0`,
    );
  },
});

rule({
  id: 'FEED-PAGING',
  level: 'MUST',
  operations: ['listChanges'],
  tags: ['feed', 'paging'],
  title: `Paging flags: a page holds at most limit entries (${LIMIT.default} when limit is omitted), has_more is true while entries remain and false at the end, and next_cursor moves on with every page that returned entries (judged on the other partner's feed, which no other rule fills).`,
  source: designed('Bounded pages and their flags.', '/components/schemas/ChangeList', 'X4'),
  // has_more is computed from the page, not the feed: a full page never says more follow.
  fault: mapPage((page) => {
    page.has_more = false;
  }),
  moreFaults: [
    {
      bug: 'without limit, the whole feed comes in one page',
      class: 'contract',
      fault: request(
        at.listChanges,
        (req) => void (!req.query.has('limit') && req.query.set('limit', String(LIMIT.maximum))),
      ),
    },
  ],
  check: async (t) => {
    // The other partner's feed: these entries there do not lengthen the walks of the rules on this partner's feed.
    const as = 'otherPartner';
    const entries = LIMIT.default + 1;
    const since = await mark(t, as);
    const order = (parcels: number) =>
      homeOrder(t, {
        service_id: t.fixtures.otherPartner.homeDelivery,
        parcels: Array.from({ length: parcels }, () => parcel(t)),
      });
    // One entry more than the default page holds: an order of that many parcels and one of one.
    const [big, small] = await Promise.all([created(t, order(LIMIT.default), as), created(t, order(1), as)]);
    const trackings = [big.tracking, small.tracking];
    await feedOf(t, since, trackings, (es) => es.length >= entries, as);
    const first = await t.request<{ data: Change[]; next_cursor: string; has_more: boolean }>({
      path: '/api/v1/partner/changes',
      query: { since },
      as,
    });
    expectStatus(first, 200, 'a page without limit');
    on(first, (b) => {
      expect(b.data.length, `limit omitted: a page of ${LIMIT.default} (the default)`).toBe(LIMIT.default);
      expect(b.has_more, 'has_more while entries remain').toBe(true);
    });
    let cursor = since;
    let ours = 0;
    for (let page = 0; page < 10_000; page++) {
      const res = await t.request<{ data: Change[]; next_cursor: string; has_more: boolean }>({
        path: '/api/v1/partner/changes',
        query: { since: cursor, limit: 40 },
        as,
      });
      expectStatus(res, 200, 'a page of 40');
      const b = res.body;
      on(res, () => {
        expect(b.data.length, 'a page holds at most limit entries').toBeLessThanOrEqual(40);
        expect(typeof b.next_cursor, 'every page has next_cursor').toBe('string');
        if (b.data.length) expect(b.next_cursor, 'next_cursor moves on after a page with entries').not.toBe(cursor);
      });
      ours += b.data.filter((e) => trackings.includes(e.tracking_number)).length;
      on(res, () =>
        expect(
          b.has_more || ours >= entries,
          `has_more true while ${entries - ours} of this rule's entries are still unread`,
        ).toBe(true),
      );
      cursor = b.next_cursor;
      if (!b.has_more) break;
    }
    const end = await t.request<{ data: Change[]; has_more: boolean }>({
      path: '/api/v1/partner/changes',
      query: { since: cursor, limit: 40 },
      as,
    });
    on(end, (b) =>
      expect(
        b.data.filter((e) => trackings.includes(e.tracking_number)).length === 0 &&
          (b.has_more === false || b.data.length > 0),
        'after the last page: none of these entries again, and has_more false unless others arrived',
      ).toBe(true),
    );
  },
});

rule({
  id: 'FEED-422-CURSOR',
  level: 'MUST',
  operations: ['listChanges'],
  tags: ['feed', 'validation'],
  title: "A cursor the feed did not issue (garbage, tampered, another partner's) is 422 naming since.",
  source: designed('Cursor semantics.', '/components/parameters/Since', 'X4'),
  fault: async (req, ctx) => {
    const res = await ctx.upstream(req);
    if (!at.listChanges(req) || res.status !== 422 || !req.query.has('since')) return res;
    const q = new URLSearchParams(req.query);
    q.delete('since');
    return ctx.upstream({ ...req, query: q });
  },
  check: async (t) => {
    const real = await mark(t);
    // The middle character: every bit of it counts in any encoding (the last base64 character carries padding bits).
    const at = Math.floor(real.length / 2);
    const c = real[at]!;
    const swapped = /[0-8]/.test(c)
      ? String(Number(c) + 1)
      : c === '9'
        ? '0'
        : c === 'A'
          ? 'B'
          : c === 'a'
            ? 'b'
            : /[A-Za-z]/.test(c)
              ? 'A'
              : 'A';
    const tampered = real.slice(0, at) + swapped + real.slice(at + 1);
    const foreign = await mark(t, 'otherPartner');
    for (const [what, since] of [
      ['a cursor the feed never issued', `garbage-${t.run.runId}`],
      ['a cursor with one character changed', tampered],
      ["another partner's cursor", foreign],
    ] as const)
      expectError(t, await t.request({ path: '/api/v1/partner/changes', query: { since } }), 422, 'since', what);
  },
});

rule({
  id: 'FEED-422-LIMIT',
  level: 'MUST',
  operations: ['listChanges'],
  tags: ['feed', 'validation'],
  title: `A limit outside ${LIMIT.minimum}..${LIMIT.maximum} is 422 naming limit.`,
  source: designed('Bounded pages.', '/components/parameters/Limit', 'X4'),
  fault: request(at.listChanges, (req) => {
    const n = Number(req.query.get('limit'));
    if (req.query.has('limit') && !(n >= LIMIT.minimum && n <= LIMIT.maximum))
      req.query.set('limit', String(LIMIT.default));
  }),
  check: async (t) => {
    for (const limit of [String(LIMIT.minimum - 1), String(LIMIT.maximum + 1), 'ten'])
      expectError(
        t,
        await t.request({ path: '/api/v1/partner/changes', query: { limit } }),
        422,
        'limit',
        `limit=${limit}`,
      );
  },
});
