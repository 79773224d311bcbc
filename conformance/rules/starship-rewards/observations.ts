// What every Starship order the run observed must satisfy under the lifecycle model: allowed pairs, walks between
// reads, vouchers per unit, and the client helpers following it (unknown sub-statuses included). The client helpers are
// the subject of SHIP-SUB-STATUS-OPEN only; every other judgement uses the suite's own model (./model.ts).

import type { Applied, LifecycleEffect, LocalOrderRecord } from '../../../client/src/starship.ts';
import * as client from '../../../client/src/starship.ts';
import type { Order } from '../../../contract/starship-rewards.ts';
import { expect } from '../../src/expect.ts';
import { at, partialHeldBack, shipOrders, shipWebhooks } from '../../src/fault-kit.ts';
import type { Exchange } from '../../src/http.ts';
import { TIMESTAMPS } from './designed.ts';
import {
  about,
  describeState,
  noProblems,
  observedOrders,
  type Scenario,
  scenarios,
  stateOf,
  voucherProblems,
  walk,
} from './lib.ts';
import { READS, rule, seed } from './meta.ts';
import { isAllowedPair, isKnownSubStatus } from './model.ts';

rule({
  id: 'SHIP-PAIRS-ALLOWED',
  level: 'MUST',
  operations: READS,
  tags: ['starship', 'lifecycle', 'model'],
  title:
    'Every (status, sub-status) pair an order is seen in (responses and webhooks) is one the lifecycle model allows; a sub-status the model does not know is allowed with every status.',
  source: seed(
    'An order carries two orthogonal status fields: a primary status (coarse — what bucket is this in?) and a sub-status (fine-grained — what exactly is happening inside that bucket?).',
  ),
  fault: shipOrders(
    at.shipGet,
    (o) => o.status === 'DELIVERED' && o.sub_status === 'COMPLETED',
    (o) => (o.sub_status = 'PARTIAL'),
  ),
  check: async (t) => {
    const problems = (await scenarios(t)).flatMap((sc) =>
      observedOrders(sc)
        .filter(({ order }) => !isAllowedPair(order.status, order.sub_status))
        .map(({ order, where, exchange }) => ({
          message: `${where}: ${describeState(order)} is not a pair the model allows`,
          exchange,
        })),
    );
    noProblems(problems, 'observed (status, sub-status) pairs the model does not allow');
  },
});

rule({
  id: 'SHIP-TRANSITIONS-READS',
  level: 'MUST',
  operations: READS,
  tags: ['starship', 'lifecycle', 'model'],
  title:
    'Between two consecutive reads of an order (the create answer, then each GET), it moved along transitions of the lifecycle model (none, one, or several in a row).',
  source: seed('Every status and sub-status an order can move through, who triggers each transition'),
  fault: partialHeldBack(at.shipGet),
  check: async (t) => {
    const problems: { message: string; exchange: Exchange }[] = [];
    for (const sc of await scenarios(t))
      sc.reads.slice(1).forEach((read, i) => {
        const before = sc.reads[i]!.body;
        if (!walk(stateOf(before), stateOf(read.body)))
          problems.push({
            message: `${sc.name} read ${i + 2}: ${describeState(before)} -> ${describeState(read.body)} is no walk of the model's transitions`,
            exchange: read.exchange,
          });
      });
    noProblems(problems, 'moves between consecutive reads the model does not allow');
  },
});

rule({
  id: 'SHIP-VOUCHERS',
  level: 'MUST',
  operations: READS,
  tags: ['starship', 'lifecycle', 'model', 'vouchers'],
  title:
    'In every observed order the units are in the states the model allows for its status (the required ones present), and a unit carries a voucher exactly when it is DELIVERED.',
  source: seed(
    'Your integration must read GET /orders/:id and iterate order.items[] to see which units are delivered vs. pending.',
    'S5',
  ),
  fault: shipOrders(
    at.shipRead,
    (o) => o.status === 'DELIVERED',
    (o) => (o.items[0].voucher = null),
  ),
  check: async (t) => {
    const problems = (await scenarios(t)).flatMap((sc) =>
      observedOrders(sc).flatMap(({ order, where, exchange }) =>
        voucherProblems(order).map((p) => ({ message: `${where}, ${describeState(order)}: ${p}`, exchange })),
      ),
    );
    noProblems(problems, 'units and vouchers the model does not allow');
  },
});

/** A sub-status no model will ever list: what a newer server might send. */
const UNLISTED = 'CONFORMANCE_UNLISTED_SUB_STATUS';

// Only the logging of an unknown value and the NOT_REFUNDED flag may differ once the sub-status is replaced; the
// primary status decides the rest.
const primaryEffects = (effects: LifecycleEffect[]) =>
  effects.filter((e) => e.type !== 'log_sub_status' && e.type !== 'flag_for_ops');

/** Applies states in order with a client helper; a helper that throws is reported with the state it threw on. */
function follow<T>(
  states: T[],
  apply: (record: LocalOrderRecord | undefined, state: T) => Applied,
  what: string,
): { record?: LocalOrderRecord; effects: LifecycleEffect[][] } {
  let record: LocalOrderRecord | undefined;
  const effects: LifecycleEffect[][] = [];
  states.forEach((state, i) => {
    try {
      const applied = apply(record, state);
      record = applied.record;
      effects.push(applied.effects);
    } catch (error) {
      throw new Error(`${what} ${i + 1}: the client helper threw: ${(error as Error).message}`);
    }
  });
  return { ...(record ? { record } : {}), effects };
}

const unlisted = (order: Order): Order => ({ ...order, sub_status: UNLISTED });

function helperProblems(sc: Scenario): { message: string; exchange?: Exchange }[] {
  const problems: { message: string; exchange?: Exchange }[] = [];
  const chains: {
    what: string;
    orders: Order[];
    apply: (r: LocalOrderRecord | undefined, i: number, order: Order) => Applied;
    exchange: Exchange;
  }[] = [
    {
      what: `${sc.name} reads`,
      orders: sc.reads.map((r) => r.body),
      apply: (r, _i, o) => client.applyOrder(r, o),
      exchange: sc.reads.at(-1)!.exchange,
    },
  ];
  const events = (sc.webhooks ?? []).filter((w) => w.payload?.order && typeof w.payload.event_id === 'string');
  if (events.length)
    chains.push({
      what: `${sc.name} webhooks`,
      orders: events.map((w) => w.payload.order),
      apply: (r, i, o) => client.applyWebhook(r, { ...events[i]!.payload, order: o } as client.OrderEvent),
      exchange: events.at(-1)!.exchange,
    });
  for (const chain of chains) {
    const last = chain.orders.at(-1)!;
    const real = follow(
      chain.orders.map((o, i) => [i, o] as const),
      (r, [i, o]) => chain.apply(r, i, o),
      chain.what,
    );
    for (const o of chain.orders) client.describeSubStatus(o.sub_status);
    if (describeState(real.record ?? { status: '(none)', sub_status: '(none)' }) !== describeState(last))
      problems.push({
        message: `${chain.what}: applied in order they leave the client at ${describeState(real.record!)}, not at the last state ${describeState(last)} (did updated_at go back?)`,
        exchange: chain.exchange,
      });
    const deliveredIds = last.items
      .filter((i) => i.status === 'DELIVERED' && i.voucher)
      .map((i) => i.id)
      .sort();
    if (JSON.stringify([...(real.record?.released_item_ids ?? [])].sort()) !== JSON.stringify(deliveredIds))
      problems.push({
        message: `${chain.what}: the client holds vouchers of ${real.record?.released_item_ids.join(', ') || 'no unit'}, the order delivered ${deliveredIds.join(', ') || 'none'}`,
        exchange: chain.exchange,
      });

    // The same states under a sub-status the model does not know: informational, the same effects but a log entry.
    const synthetic = follow(
      chain.orders.map((o, i) => [i, unlisted(o)] as const),
      (r, [i, o]) => chain.apply(r, i, o),
      `${chain.what} with sub-status ${UNLISTED}`,
    );
    expect(primaryEffects(synthetic.effects.flat()), `${chain.what}: effects with an unknown sub-status`).toEqual(
      primaryEffects(real.effects.flat()),
    );
    expect(
      synthetic.effects[0]?.some((e) => e.type === 'log_sub_status'),
      `${chain.what}: an unknown sub-status is logged`,
    ).toBe(true);
  }
  return problems;
}

rule({
  id: 'SHIP-SUB-STATUS-OPEN',
  level: 'MUST',
  operations: READS,
  tags: ['starship', 'lifecycle', 'client'],
  title:
    'The client helpers follow every observed order and webhook to its last state (updated_at never goes back while the order moves), and the same orders carrying a sub-status the model does not know are handled as informational, never as an error.',
  source: seed('Treat any unrecognized sub-status as informational, never as a reason to error out.'),
  fault: shipWebhooks((entries) =>
    entries.map((e, i) =>
      i > 0 && i === entries.length - 1
        ? {
            ...e,
            payload: {
              ...e.payload,
              order: {
                ...e.payload.order,
                updated_at: new Date(Date.parse(e.payload.order.created_at) - 60_000).toISOString(),
              },
            },
          }
        : e,
    ),
  ),
  check: async (t) => {
    expect(isKnownSubStatus(UNLISTED), `${UNLISTED} must be unknown to the model`).toBe(false);
    const described = client.describeSubStatus(UNLISTED);
    expect(described, 'describeSubStatus of an unknown value').toEqual({
      known: false,
      name: UNLISTED,
      informational: true,
    });
    const all = await scenarios(t);
    for (const sc of all)
      for (const { order, where, exchange } of observedOrders(sc))
        about(exchange, () =>
          expect(
            client.isAllowedPair(order.status as client.OrderStatus, UNLISTED),
            `${where}: the client allows ${order.status} with an unknown sub-status`,
          ).toBe(true),
        );
    noProblems(all.flatMap(helperProblems), 'the client helpers do not follow the observed orders');
  },
});

/** What breaks the timestamps of consecutive observations of one order (reads, or webhooks in firing order). */
function timestampProblems(orders: { order: Order; where: string; exchange: Exchange }[]): {
  documented: { message: string; exchange: Exchange }[];
  designed: { message: string; exchange: Exchange }[];
} {
  const documented: { message: string; exchange: Exchange }[] = [];
  const designed: { message: string; exchange: Exchange }[] = [];
  orders.slice(1).forEach((now, i) => {
    const before = orders[i]!;
    const [a, b] = [before.order, now.order];
    if (a.status !== b.status && !(Date.parse(b.status_changed_at) > Date.parse(a.status_changed_at)))
      documented.push({
        message: `${now.where}: the status moved ${a.status} -> ${b.status} but status_changed_at did not (${a.status_changed_at} -> ${b.status_changed_at})`,
        exchange: now.exchange,
      });
    if (a.status === b.status && a.status_changed_at !== b.status_changed_at)
      documented.push({
        message: `${now.where}: the status stayed ${a.status} but status_changed_at moved (${a.status_changed_at} -> ${b.status_changed_at})`,
        exchange: now.exchange,
      });
    if (a.created_at !== b.created_at)
      designed.push({
        message: `${now.where}: created_at changed (${a.created_at} -> ${b.created_at})`,
        exchange: now.exchange,
      });
    if (Date.parse(b.updated_at) < Date.parse(a.updated_at))
      designed.push({
        message: `${now.where}: updated_at went back (${a.updated_at} -> ${b.updated_at})`,
        exchange: now.exchange,
      });
  });
  return { documented, designed };
}

rule({
  id: 'SHIP-TIMESTAMPS',
  level: 'MUST',
  operations: READS,
  tags: ['starship', 'lifecycle', 'timestamps'],
  title:
    'status_changed_at moves exactly when the primary status changes, between consecutive reads and between consecutive webhooks of an order; designed: created_at never changes and updated_at never goes back.',
  source: seed("An order that's been PENDING for more than 24 hours is stuck."),
  // status_changed_at is set when the order is placed and never again.
  fault: shipOrders(
    at.shipRead,
    () => true,
    (o) => (o.status_changed_at = o.created_at),
  ),
  check: async (t) => {
    const all = await scenarios(t);
    const chains = all.flatMap((sc) => [
      observedOrders(sc).filter((o) => o.where.includes(' read ')),
      observedOrders(sc).filter((o) => o.where.includes(' webhook ')),
    ]);
    const found = chains.map(timestampProblems);
    t.designed(TIMESTAMPS, () =>
      noProblems(
        found.flatMap((f) => f.designed),
        'timestamps that go back or change',
      ),
    );
    noProblems(
      found.flatMap((f) => f.documented),
      'status_changed_at out of step with the status',
    );
  },
});
