// The Starship paths driven to their ends: instant, pending escalated (vouchers or failure), partial and its two
// convergences, late cancellation, the bulk cap.

import type { Order, OrderItem } from '../../../contract/starship-rewards.ts';
import type { RuleContext } from '../../src/context.ts';
import { expect } from '../../src/expect.ts';
import { at, heldBack, partialHeldBack, request, SHIP, shipOrders } from '../../src/fault-kit.ts';
import type { Res } from '../../src/http.ts';
import { BULK_POST_ANSWER, POST_ANSWER } from './designed.ts';
import { about, describeState, type Scenario, scenario } from './lib.ts';
import { READS, rule, seed } from './meta.ts';
import { outcomeSteps } from './model.ts';

/** The status and sub-status the model's path ends in (its last step). */
const endOf = (sc: Scenario) => describeState(sc.steps.at(-1)!);

function expectState(res: Res<Order>, status: string, subStatus: string, what: string): void {
  about(res.exchange, () => expect(describeState(res.body), what).toBe(`${status} · ${subStatus}`));
}

/**
 * The POST /orders answer on path 2 or 3, which the document draws from PLACED · INITIAL without saying where the answer
 * stops: documented, a state of that path up to `status · subStatus`; designed (S12), exactly that state.
 */
function expectPostAnswer(
  t: RuleContext,
  res: Res<Order>,
  pathId: string,
  status: string,
  subStatus: string,
  what: string,
): void {
  // Paths 2 and 3 both have an outcome ending DELIVERED · COMPLETED; its first steps are the ones the POST can answer.
  const steps = outcomeSteps(pathId, 'DELIVERED', 'COMPLETED');
  const upTo = steps
    .slice(0, steps.findIndex((x) => x.status === status && x.sub_status === subStatus) + 1)
    .map(describeState);
  about(res.exchange, () =>
    expect(
      upTo,
      `${what}: ${describeState(res.body)} is a state of path ${pathId} up to ${status} · ${subStatus}`,
    ).toContain(describeState(res.body)),
  );
  t.designed(POST_ANSWER, () => expectState(res, status, subStatus, what));
}

const units = (o: Order) => o.items.map((i) => `${i.id}:${i.status}:${i.voucher ? 'voucher' : 'none'}`);
const vouchersOf = (items: OrderItem[]) =>
  Object.fromEntries(items.filter((i) => i.voucher).map((i) => [i.id, i.voucher!.code]));

function expectUnits(res: Res<Order>, want: (item: OrderItem) => boolean, what: string): void {
  about(res.exchange, () =>
    expect(
      res.body.items.filter((i) => !want(i)).map((i) => `${i.id}:${i.status}:${i.voucher ? 'voucher' : 'none'}`),
      what,
    ).toEqual([]),
  );
}

const delivered = (i: OrderItem) => i.status === 'DELIVERED' && !!i.voucher?.code;
const waiting = (i: OrderItem) => i.status === 'PENDING' && i.voucher === null;
const cancelledUnit = (i: OrderItem) => i.status === 'CANCELLED' && i.voucher === null;

/** The same units (ids, states, vouchers) in a later read: nothing moved between them. */
function expectSameUnits(later: Res<Order>, earlier: Res<Order>, what: string): void {
  about(later.exchange, () => {
    expect(later.body.status, `${what}: status`).toBe(earlier.body.status);
    expect(units(later.body), `${what}: units`).toEqual(units(earlier.body));
    expect(vouchersOf(later.body.items), `${what}: voucher codes`).toEqual(vouchersOf(earlier.body.items));
  });
}

rule({
  id: 'SHIP-PATH-INSTANT',
  level: 'MUST',
  operations: READS,
  tags: ['starship', 'lifecycle', 'path'],
  title:
    'An order within stock is answered DELIVERED · COMPLETED by POST /orders, every unit DELIVERED with a voucher, and reads back the same.',
  source: seed('Typical turnaround: 200–800 ms end-to-end. The HTTP response carries status: DELIVERED.'),
  // Starship: each a bug a Starship implementation could plausibly ship.
  fault: shipOrders(
    at.shipCreate,
    (o) => o.status === 'DELIVERED',
    (o) => (o.sub_status = 'INVENTORY_FULFILLED'),
  ),
  check: async (t) => {
    const sc = await scenario(t, 'instant');
    const [created, read] = sc.reads as [Res<Order>, Res<Order>];
    expectState(created, 'DELIVERED', 'COMPLETED', 'the POST /orders answer');
    about(created.exchange, () => expect(created.body.items.length, 'one unit per quantity').toBe(2));
    expectUnits(created, delivered, 'units not DELIVERED with a voucher');
    expectSameUnits(read, created, 'read back');
  },
});

rule({
  id: 'SHIP-PATH-PENDING-DELIVERED',
  level: 'MUST',
  operations: READS,
  tags: ['starship', 'lifecycle', 'path'],
  title:
    'An inventory miss is answered without vouchers (designed, S12: PENDING · VENDOR_ORDER_PENDING); when the admin escalates and the vendor returns vouchers it becomes DELIVERED · COMPLETED with a voucher on every unit.',
  source: seed(
    'Admin triggers vendor API retry Vendor returns vouchers? YES PENDING · VENDOR_VOUCHER_FETCHED DELIVERED · COMPLETED',
  ),
  hooks: ['starshipEscalate'],
  fault: shipOrders(
    at.shipGet,
    (o) => o.sku === SHIP.products.pending && o.status === 'DELIVERED',
    heldBack('PENDING', 'VENDOR_VOUCHER_FETCHED'),
  ),
  check: async (t) => {
    t.needHook('starshipEscalate');
    const sc = await scenario(t, 'pendingVouchers');
    const [created, , after] = sc.reads as [Res<Order>, Res<Order>, Res<Order>];
    expectPostAnswer(
      t,
      created,
      '2',
      'PENDING',
      'VENDOR_ORDER_PENDING',
      'the POST /orders answer on an inventory miss',
    );
    expectUnits(created, waiting, 'units of a pending order that are not PENDING without a voucher');
    expectState(after, 'DELIVERED', 'COMPLETED', `after the vendor returned vouchers (the model: ${endOf(sc)})`);
    expectUnits(after, delivered, 'units not DELIVERED with a voucher');
    about(after.exchange, () =>
      expect(
        after.body.items.map((i) => i.id),
        'the same units',
      ).toEqual(created.body.items.map((i) => i.id)),
    );
  },
});

rule({
  id: 'SHIP-PATH-PENDING-CANCELLED',
  level: 'MUST',
  operations: READS,
  tags: ['starship', 'lifecycle', 'path'],
  title:
    'When the vendor fails an escalated order, it becomes CANCELLED · REFUNDED with every unit CANCELLED and no voucher.',
  source: seed('NO PENDING · VENDOR_ORDER_FAILED CANCELLED Wallet refunded Webhook: order.cancelled', 'S9'),
  hooks: ['starshipEscalate'],
  fault: shipOrders(
    at.shipGet,
    (o) => o.sku === SHIP.products.pending && o.status === 'CANCELLED',
    heldBack('PENDING', 'VENDOR_ORDER_FAILED'),
  ),
  check: async (t) => {
    t.needHook('starshipEscalate');
    const sc = await scenario(t, 'pendingFailure');
    const [created, , after] = sc.reads as [Res<Order>, Res<Order>, Res<Order>];
    expectPostAnswer(
      t,
      created,
      '2',
      'PENDING',
      'VENDOR_ORDER_PENDING',
      'the POST /orders answer on an inventory miss',
    );
    about(after.exchange, () => expect(describeState(after.body), 'after the vendor failed').toBe(endOf(sc)));
    expectUnits(after, cancelledUnit, 'units not CANCELLED without a voucher');
  },
});

rule({
  id: 'SHIP-PATH-PARTIAL',
  level: 'MUST',
  operations: READS,
  tags: ['starship', 'lifecycle', 'path'],
  title:
    'An order of which only some units are in stock reads PARTIALLY_DELIVERED · PARTIAL: the delivered units carry vouchers, the others are PENDING without one; designed (S12): the POST /orders answer already shows it, with the same units.',
  source: seed(
    'When a single order covers multiple units and only some fulfill, the order is marked PARTIALLY_DELIVERED with sub-status PARTIAL.',
  ),
  fault: partialHeldBack(at.shipRead),
  check: async (t) => {
    const sc = await scenario(t, 'partial');
    const [created, read] = sc.reads as [Res<Order>, Res<Order>];
    expectPostAnswer(
      t,
      created,
      '3',
      'PARTIALLY_DELIVERED',
      'PARTIAL',
      'the POST /orders answer when only some units are in stock',
    );
    expectState(read, 'PARTIALLY_DELIVERED', 'PARTIAL', 'read back');
    about(read.exchange, () => {
      expect(read.body.items.length, 'one unit per quantity').toBe(t.profile.starship!.products.partial.quantity);
      expect(read.body.items.some(delivered), 'some unit DELIVERED with a voucher').toBe(true);
      expect(read.body.items.some(waiting), 'some unit PENDING without a voucher').toBe(true);
    });
    expectUnits(
      read,
      (i) => delivered(i) || waiting(i),
      'units neither DELIVERED with a voucher nor PENDING without one',
    );
    t.designed(POST_ANSWER, () => expectSameUnits(read, created, 'the POST /orders answer and the read'));
  },
});

/**
 * A settled partial order: the units delivered at creation keep their vouchers; the remaining ones end as `remaining`
 * says.
 */
function expectSettled(t: RuleContext, sc: Scenario, remaining: (i: OrderItem) => boolean, what: string): void {
  const [created, read, after] = sc.reads as [Res<Order>, Res<Order>, Res<Order>];
  expectPostAnswer(
    t,
    created,
    '3',
    'PARTIALLY_DELIVERED',
    'PARTIAL',
    'the POST /orders answer when only some units are in stock',
  );
  expectState(read, 'PARTIALLY_DELIVERED', 'PARTIAL', 'read before the remaining units were settled');
  about(after.exchange, () => expect(describeState(after.body), what).toBe(endOf(sc)));
  const before = new Map(read.body.items.map((i) => [i.id, i]));
  about(after.exchange, () => {
    expect(
      after.body.items.map((i) => i.id),
      'the same units',
    ).toEqual(read.body.items.map((i) => i.id));
    for (const item of after.body.items) {
      const was = before.get(item.id)!;
      if (was.status === 'DELIVERED')
        expect(`${item.status} ${item.voucher?.code}`, `unit ${item.id}, delivered before, keeps its voucher`).toBe(
          `DELIVERED ${was.voucher?.code}`,
        );
      else
        expect(
          remaining(item),
          `remaining unit ${item.id} is ${item.status} ${item.voucher ? 'with' : 'without'} a voucher`,
        ).toBe(true);
    }
  });
}

rule({
  id: 'SHIP-PATH-PARTIAL-DELIVERED',
  level: 'MUST',
  operations: READS,
  tags: ['starship', 'lifecycle', 'path'],
  title:
    'A PARTIALLY_DELIVERED order whose remaining units are fulfilled becomes DELIVERED · COMPLETED; the units delivered before keep their vouchers.',
  source: seed('A PARTIALLY_DELIVERED order eventually converges to DELIVERED (all items fulfilled)'),
  hooks: ['starshipSettle'],
  fault: request(at.shipSettle, (req) => {
    if (req.json?.outcome === 'fulfilled') req.json.outcome = 'refunded';
  }),
  check: async (t) => {
    t.needHook('starshipSettle');
    expectSettled(t, await scenario(t, 'partialFulfilled'), delivered, 'after the remaining units were fulfilled');
  },
});

rule({
  id: 'SHIP-PATH-PARTIAL-CANCELLED',
  level: 'MUST',
  operations: READS,
  tags: ['starship', 'lifecycle', 'path'],
  title:
    'A PARTIALLY_DELIVERED order whose remaining units are refunded becomes CANCELLED · REFUNDED: those units CANCELLED, the delivered ones keeping their vouchers.',
  source: seed('or CANCELLED (remaining items refunded)', 'S5'),
  hooks: ['starshipSettle'],
  fault: shipOrders(
    at.shipGet,
    (o) => o.sku === SHIP.products.partial.sku && o.status === 'CANCELLED',
    (o) => {
      for (const i of o.items) Object.assign(i, { status: 'CANCELLED', voucher: null });
    },
  ),
  check: async (t) => {
    t.needHook('starshipSettle');
    expectSettled(t, await scenario(t, 'partialRefunded'), cancelledUnit, 'after the remaining units were refunded');
  },
});

async function lateCancel(t: RuleContext, name: 'lateRefunded' | 'lateNotRefunded', subStatus: string): Promise<void> {
  t.needHook('starshipLateCancel');
  const sc = await scenario(t, name);
  const [created, , after] = sc.reads as [Res<Order>, Res<Order>, Res<Order>];
  expectState(created, 'DELIVERED', 'COMPLETED', 'the POST /orders answer (delivered first)');
  expectState(after, 'CANCELLED', subStatus, 'after the late cancellation');
}

/** The two outcomes of a late cancellation: the refund succeeds or fails, and the fault sends the other. */
const LATE_CANCELS: [
  id: string,
  scenario: 'lateRefunded' | 'lateNotRefunded',
  subStatus: string,
  refund: string,
  other: string,
][] = [
  ['SHIP-LATE-CANCEL-REFUNDED', 'lateRefunded', 'REFUNDED', 'succeeds', 'fails'],
  ['SHIP-LATE-CANCEL-NOT-REFUNDED', 'lateNotRefunded', 'NOT_REFUNDED', 'fails', 'succeeds'],
];
for (const [id, name, subStatus, refund, other] of LATE_CANCELS)
  rule({
    id,
    level: 'MUST',
    operations: READS,
    tags: ['starship', 'lifecycle', 'refund'],
    title: `A DELIVERED order an admin cancels becomes CANCELLED · ${subStatus} when the refund ${refund}.`,
    source: seed('Sets sub-status to REFUNDED (or NOT_REFUNDED if the refund fails)', 'S6'),
    hooks: ['starshipLateCancel'],
    fault: request(at.shipCancel, (req) => {
      if (req.json?.refund === refund) req.json.refund = other;
    }),
    check: (t) => lateCancel(t, name, subStatus),
  });

rule({
  id: 'SHIP-BULK-LIMIT',
  level: 'MUST',
  operations: READS,
  tags: ['starship', 'lifecycle', 'bulk'],
  title:
    'An order of one unit more than the bulk cap is placed and reads back CANCELLED · BULK_LIMIT_EXCEEDED without vouchers; an order of exactly the cap is not; designed (S8): the POST answer is 201 with that state and every unit.',
  source: seed('BULK_LIMIT_EXCEEDEDCANCELLEDYour request exceeded the bulk capSplit the order; resubmit.', 'S8'),
  fault: request(at.shipCreate, (req) => {
    if (req.json?.quantity === SHIP.bulkCap) req.json.quantity = SHIP.bulkCap + 1;
  }),
  check: async (t) => {
    const [over, atCap] = await Promise.all([scenario(t, 'bulk'), scenario(t, 'atCap')]);
    const cap = t.profile.starship!.bulkCap;
    const [created, read] = over.reads as [Res<Order>, Res<Order>];
    const what = `an order of ${cap + 1} units (the cap is ${cap})`;
    // Documented: the order exists and is cancelled for the cap. What the POST answer shows is S8's design.
    expectState(read, 'CANCELLED', 'BULK_LIMIT_EXCEEDED', `${what}, read back`);
    expectUnits(read, cancelledUnit, 'read back: units not CANCELLED without a voucher');
    t.designed(BULK_POST_ANSWER, () => {
      about(created.exchange, () => expect(created.status, `${what}: the POST /orders answer`).toBe(201));
      expectState(created, 'CANCELLED', 'BULK_LIMIT_EXCEEDED', `${what}: the POST /orders answer`);
      about(created.exchange, () => expect(created.body.items.length, 'the order keeps its units').toBe(cap + 1));
      expectUnits(created, cancelledUnit, 'units not CANCELLED without a voucher');
      expectSameUnits(read, created, 'read back');
    });
    const [placed] = atCap.reads as [Res<Order>];
    about(placed.exchange, () =>
      expect(describeState(placed.body), `an order of exactly ${cap} units`).toBe('DELIVERED · COMPLETED'),
    );
  },
});
