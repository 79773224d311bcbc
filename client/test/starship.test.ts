// The Starship lifecycle helpers: branching, sub-status decoding, terminal and stuck checks, the model's pairs and
// transitions, and idempotent webhook handling.
import { describe, expect, it } from 'vitest';
import { loadSpec, schemaValidator } from '../../contract/index.ts';
import {
  allowedPairs,
  applyOrder,
  applyWebhook,
  describeSubStatus,
  isAllowedPair,
  isStuck,
  isTerminal,
  type LifecycleEffect,
  type LocalOrderRecord,
  lifecycle,
  matchStatus,
  matchTransition,
  type Order,
  type OrderEvent,
  type OrderItem,
  type OrderState,
  type OrderStatus,
  type SubStatus,
} from '../src/starship.js';

const spec = loadSpec('starship-rewards');
const example = <T>(name: string): T => structuredClone(spec.components.examples[name].value) as T;

const T0 = '2025-03-14T09:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const unit = (n: number, status: OrderItem['status']): OrderItem => ({
  id: `itm_${n}`,
  status,
  voucher: status === 'DELIVERED' ? { code: `GC-${n}`, url: null } : null,
});

/** An order of the given state and units, changed `minute` minutes after T0. */
function order(status: OrderStatus, sub_status: SubStatus, units: OrderItem['status'][], minute: number): Order {
  return {
    id: 'ord_1',
    reference: 'loyalty-1',
    sku: 'AMZ-GC-25-EUR',
    status,
    sub_status,
    items: units.map((s, i) => unit(i + 1, s)),
    created_at: T0,
    updated_at: at(minute),
    status_changed_at: at(minute),
  };
}

const SCHEMA = {
  'order.pending': 'OrderPendingEvent',
  'order.delivered': 'OrderDeliveredEvent',
  'order.cancelled': 'OrderCancelledEvent',
} as const;
/** A webhook delivery; it must satisfy the spec's payload schema, so the cases cannot drift from the contract. */
function event(type: OrderEvent['type'], o: Order, id: string): OrderEvent {
  const e = { event_id: id, type, occurred_at: o.updated_at, order: o } as OrderEvent;
  const validate = schemaValidator('starship-rewards', SCHEMA[type]);
  if (!validate(e)) throw new Error(`test event ${id} breaks the contract: ${JSON.stringify(validate.errors)}`);
  return e;
}

describe('matchStatus', () => {
  const handlers = {
    PLACED: () => 'wait',
    PENDING: () => 'wait for a webhook',
    DELIVERED: () => 'show vouchers',
    PARTIALLY_DELIVERED: (o: Order) => `show ${o.items.filter((i) => i.status === 'DELIVERED').length} vouchers`,
    CANCELLED: () => 'refund',
    FAILED: () => 'refund',
  };
  it.each<[string, { given: Order; want: string }]>([
    ['PLACED', { given: order('PLACED', 'INITIAL', ['PENDING'], 0), want: 'wait' }],
    ['PENDING', { given: order('PENDING', 'VENDOR_ORDER_PENDING', ['PENDING'], 1), want: 'wait for a webhook' }],
    ['DELIVERED', { given: example('CreateOrderResponseExample'), want: 'show vouchers' }],
    ['PARTIALLY_DELIVERED', { given: example('GetOrderPartialResponseExample'), want: 'show 2 vouchers' }],
    ['CANCELLED', { given: example('CreateOrderBulkLimitResponseExample'), want: 'refund' }],
    ['FAILED', { given: order('FAILED', 'NOT_REFUNDED', ['FAILED'], 5), want: 'refund' }],
    [
      'PENDING with an unknown sub-status',
      { given: order('PENDING', 'SOMETHING_NEW', ['PENDING'], 1), want: 'wait for a webhook' },
    ],
  ])('%s', (_name, { given, want }) => {
    expect(matchStatus(given, handlers)).toBe(want);
  });

  it('requires a handler for every primary status (a type error otherwise)', () => {
    const { FAILED: _omitted, ...incomplete } = handlers;
    // @ts-expect-error FAILED has no handler
    expect(() => matchStatus(order('FAILED', 'NOT_REFUNDED', ['FAILED'], 5), incomplete)).toThrow(TypeError);
  });
});

describe('describeSubStatus never throws; unknown values are informational', () => {
  it.each<[string, { given: SubStatus | null | undefined; want: object }]>([
    [
      'a documented one to wait on',
      {
        given: 'VENDOR_ORDER_PENDING',
        want: { known: true, informational: false, action: 'Wait or poll.', typicalPrimaries: ['PENDING'] },
      },
    ],
    [
      'a documented informational one',
      { given: 'GV_LINK_CLAIMED', want: { known: true, informational: true, action: 'Nothing — informational.' } },
    ],
    [
      'one that asks for ops',
      {
        given: 'NOT_REFUNDED',
        want: { known: true, informational: false, action: 'Flag for ops.', typicalPrimaries: ['CANCELLED', 'FAILED'] },
      },
    ],
    ['a new one', { given: 'SOMETHING_NEW', want: { known: false, name: 'SOMETHING_NEW', informational: true } }],
    ['another case', { given: 'completed', want: { known: false, name: 'completed', informational: true } }],
    ['the empty string', { given: '', want: { known: false, informational: true } }],
    ['an object prototype key', { given: '__proto__', want: { known: false, informational: true } }],
    ['a method name', { given: 'toString', want: { known: false, informational: true } }],
    ['null', { given: null, want: { known: false, informational: true } }],
    ['undefined', { given: undefined, want: { known: false, informational: true } }],
  ])('%s', (_name, { given, want }) => {
    expect(describeSubStatus(given)).toMatchObject(want);
  });
});

describe('isTerminal', () => {
  it.each<[OrderStatus, boolean]>([
    ['PLACED', false],
    ['PENDING', false],
    ['DELIVERED', true],
    ['PARTIALLY_DELIVERED', false],
    ['CANCELLED', true],
    ['FAILED', true],
  ])('%s -> %s', (status, want) => {
    expect(isTerminal(status)).toBe(want);
  });
});

describe('isStuck: PENDING for more than 24 hours', () => {
  const changed = (status: OrderStatus) => ({ status, status_changed_at: T0 });
  const H = 60;
  it.each<[string, { given: [Pick<Order, 'status' | 'status_changed_at'>, Date | number]; want: boolean }]>([
    ['PENDING 23 h', { given: [changed('PENDING'), Date.parse(at(23 * H))], want: false }],
    ['PENDING exactly 24 h', { given: [changed('PENDING'), Date.parse(at(24 * H))], want: false }],
    ['PENDING 24 h and 1 ms', { given: [changed('PENDING'), Date.parse(at(24 * H)) + 1], want: true }],
    ['PENDING 3 days, now as a Date', { given: [changed('PENDING'), new Date(at(72 * H))], want: true }],
    ['PLACED 3 days', { given: [changed('PLACED'), Date.parse(at(72 * H))], want: false }],
    ['PARTIALLY_DELIVERED 3 days', { given: [changed('PARTIALLY_DELIVERED'), Date.parse(at(72 * H))], want: false }],
    ['DELIVERED 3 days', { given: [changed('DELIVERED'), Date.parse(at(72 * H))], want: false }],
  ])('%s', (_name, { given, want }) => {
    expect(isStuck(...given)).toBe(want);
  });
});

describe('isAllowedPair', () => {
  it.each<[OrderStatus, SubStatus, boolean]>([
    ['PLACED', 'INITIAL', true],
    ['PENDING', 'INITIAL', true],
    ['PENDING', 'INVENTORY_FULFILLED', true],
    ['DELIVERED', 'INVENTORY_FULFILLED', true],
    ['DELIVERED', 'VENDOR_VOUCHER_FETCHED', true],
    ['CANCELLED', 'REPROCESS_EXPIRED', true],
    ['FAILED', 'NOT_REFUNDED', true],
    ['FAILED', 'REFUNDED', false],
    ['PLACED', 'COMPLETED', false],
    ['PARTIALLY_DELIVERED', 'COMPLETED', false],
    ['DELIVERED', 'SOMETHING_NEW', true],
  ])('%s · %s -> %s', (status, sub, want) => {
    expect(isAllowedPair(status, sub)).toBe(want);
  });

  it('lists each documented sub-status with its primaries', () => {
    expect(allowedPairs()).toHaveLength(lifecycle.sub_statuses.reduce((n, s) => n + s.primaries.length, 0));
    expect(allowedPairs()).toContainEqual(['PARTIALLY_DELIVERED', 'PARTIAL']);
  });
});

describe('matchTransition: the model decides who may move an order and which webhook fires', () => {
  const s = (status: OrderStatus, sub_status: SubStatus): OrderState => ({ status, sub_status });
  it.each<
    [
      string,
      { given: [OrderState, OrderState]; want: { id: string; webhook: string | null; by?: string[] } | undefined },
    ]
  >([
    [
      'path 1 allocation',
      {
        given: [s('PLACED', 'INITIAL'), s('PENDING', 'INVENTORY_FULFILLED')],
        want: { id: 'placed-inventory-hit', webhook: null },
      },
    ],
    [
      'path 1 finalize',
      {
        given: [s('PENDING', 'INVENTORY_FULFILLED'), s('DELIVERED', 'COMPLETED')],
        want: { id: 'instant-finalize', webhook: 'order.delivered', by: ['starship'] },
      },
    ],
    [
      'path 2 inventory miss',
      {
        given: [s('PLACED', 'INITIAL'), s('PENDING', 'VENDOR_ORDER_PENDING')],
        want: { id: 'placed-inventory-miss', webhook: 'order.pending' },
      },
    ],
    [
      'path 2 admin retry',
      {
        given: [s('PENDING', 'VENDOR_ORDER_PENDING'), s('PENDING', 'VENDOR_VOUCHER_FETCHED')],
        want: { id: 'admin-vendor-retry-succeeds', webhook: null, by: ['admin'] },
      },
    ],
    [
      'into PENDING on a new sub-status',
      {
        given: [s('PLACED', 'INITIAL'), s('PENDING', 'SOMETHING_NEW')],
        want: { id: 'placed-pending', webhook: 'order.pending' },
      },
    ],
    [
      'out of PENDING from a new sub-status',
      {
        given: [s('PENDING', 'SOMETHING_NEW'), s('DELIVERED', 'COMPLETED')],
        want: { id: 'pending-deliver', webhook: 'order.delivered' },
      },
    ],
    [
      'partial converges',
      {
        given: [s('PARTIALLY_DELIVERED', 'PARTIAL'), s('CANCELLED', 'REFUNDED')],
        want: { id: 'partial-cancel', webhook: 'order.cancelled' },
      },
    ],
    [
      'late cancellation',
      {
        given: [s('DELIVERED', 'COMPLETED'), s('CANCELLED', 'NOT_REFUNDED')],
        want: { id: 'late-cancel', webhook: 'order.cancelled', by: ['admin'] },
      },
    ],
    [
      'the end user claims a link',
      {
        given: [s('DELIVERED', 'GV_LINK_UNCLAIMED'), s('DELIVERED', 'GV_LINK_CLAIMED')],
        want: { id: 'link-claimed', webhook: null, by: ['end_user'] },
      },
    ],
    [
      'a sub-status move inside PENDING',
      {
        given: [s('PENDING', 'PROCESSING'), s('PENDING', 'PENDING_REPROCESS')],
        want: { id: 'within-primary', webhook: null },
      },
    ],
    ['out of CANCELLED', { given: [s('CANCELLED', 'REFUNDED'), s('DELIVERED', 'COMPLETED')], want: undefined }],
    ['PLACED straight to DELIVERED', { given: [s('PLACED', 'INITIAL'), s('DELIVERED', 'COMPLETED')], want: undefined }],
    [
      'partial cancelled for the bulk cap',
      { given: [s('PARTIALLY_DELIVERED', 'PARTIAL'), s('CANCELLED', 'BULK_LIMIT_EXCEEDED')], want: undefined },
    ],
    [
      'from a pair that cannot occur',
      { given: [s('PENDING', 'COMPLETED'), s('DELIVERED', 'COMPLETED')], want: undefined },
    ],
  ])('%s', (_name, { given, want }) => {
    const found = matchTransition(...given);
    if (want === undefined) expect(found).toBeUndefined();
    else expect(found).toMatchObject(want);
  });
});

type Step = [apply: 'order' | 'webhook', what: Order | OrderEvent, effects: LifecycleEffect['type'][]];
const delivered = order('DELIVERED', 'COMPLETED', ['DELIVERED', 'DELIVERED'], 2);
const lateCancel = order('CANCELLED', 'REFUNDED', ['CANCELLED', 'CANCELLED'], 3000);

describe('applyOrder / applyWebhook: idempotent, late cancellations handled', () => {
  it.each<[string, { given: Step[]; want: Partial<LocalOrderRecord> }]>([
    [
      'path 1: the create response, then its order.delivered',
      {
        given: [
          ['order', delivered, ['release_vouchers']],
          ['webhook', event('order.delivered', delivered, 'evt_1'), []],
        ],
        want: { status: 'DELIVERED', released_item_ids: ['itm_1', 'itm_2'], customer_refunded: false },
      },
    ],
    [
      'a late order.cancelled after DELIVERED, delivered twice, then under a new id',
      {
        given: [
          ['webhook', event('order.delivered', delivered, 'evt_1'), ['release_vouchers']],
          ['webhook', event('order.cancelled', lateCancel, 'evt_2'), ['revoke_vouchers', 'refund_customer']],
          ['webhook', event('order.cancelled', lateCancel, 'evt_2'), []],
          ['webhook', event('order.cancelled', lateCancel, 'evt_3'), []],
        ],
        want: {
          status: 'CANCELLED',
          sub_status: 'REFUNDED',
          released_item_ids: [],
          customer_refunded: true,
          event_ids: ['evt_1', 'evt_2', 'evt_3'],
        },
      },
    ],
    [
      'a late cancellation whose refund fails, then succeeds',
      {
        given: [
          ['order', delivered, ['release_vouchers']],
          [
            'webhook',
            event('order.cancelled', order('CANCELLED', 'NOT_REFUNDED', ['CANCELLED', 'CANCELLED'], 3000), 'evt_2'),
            ['revoke_vouchers', 'refund_customer', 'flag_for_ops'],
          ],
          [
            'webhook',
            event('order.cancelled', order('CANCELLED', 'REFUNDED', ['CANCELLED', 'CANCELLED'], 3100), 'evt_3'),
            [],
          ],
        ],
        want: { status: 'CANCELLED', sub_status: 'REFUNDED', customer_refunded: true },
      },
    ],
    [
      'an old order.pending arriving after order.delivered',
      {
        given: [
          ['webhook', event('order.delivered', delivered, 'evt_2'), ['release_vouchers']],
          [
            'webhook',
            event('order.pending', order('PENDING', 'VENDOR_ORDER_PENDING', ['PENDING', 'PENDING'], 1), 'evt_1'),
            [],
          ],
        ],
        want: { status: 'DELIVERED', event_ids: ['evt_2', 'evt_1'] },
      },
    ],
    [
      'an old order.delivered arriving after the late cancellation',
      {
        given: [
          ['webhook', event('order.cancelled', lateCancel, 'evt_2'), ['refund_customer']],
          ['webhook', event('order.delivered', delivered, 'evt_1'), []],
        ],
        want: { status: 'CANCELLED', released_item_ids: [] },
      },
    ],
    [
      'path 2 when the vendor fails',
      {
        given: [
          ['order', order('PENDING', 'VENDOR_ORDER_PENDING', ['PENDING'], 0), []],
          ['webhook', event('order.pending', order('PENDING', 'VENDOR_ORDER_PENDING', ['PENDING'], 0), 'evt_1'), []],
          [
            'webhook',
            event('order.cancelled', order('CANCELLED', 'REFUNDED', ['CANCELLED'], 240), 'evt_2'),
            ['refund_customer'],
          ],
        ],
        want: { status: 'CANCELLED', customer_refunded: true },
      },
    ],
    [
      'path 3: partial by GET, then the remaining unit delivered',
      {
        given: [
          [
            'order',
            order('PARTIALLY_DELIVERED', 'PARTIAL', ['DELIVERED', 'DELIVERED', 'PENDING'], 30),
            ['release_vouchers'],
          ],
          ['order', order('PARTIALLY_DELIVERED', 'PARTIAL', ['DELIVERED', 'DELIVERED', 'PENDING'], 30), []],
          [
            'webhook',
            event(
              'order.delivered',
              order('DELIVERED', 'COMPLETED', ['DELIVERED', 'DELIVERED', 'DELIVERED'], 90),
              'evt_1',
            ),
            ['release_vouchers'],
          ],
        ],
        want: { status: 'DELIVERED', released_item_ids: ['itm_1', 'itm_2', 'itm_3'] },
      },
    ],
    [
      'path 3: the remaining unit refunded, delivered units keep their vouchers (S5)',
      {
        given: [
          ['order', order('PARTIALLY_DELIVERED', 'PARTIAL', ['DELIVERED', 'PENDING'], 30), ['release_vouchers']],
          [
            'webhook',
            event('order.cancelled', order('CANCELLED', 'REFUNDED', ['DELIVERED', 'CANCELLED'], 90), 'evt_1'),
            ['refund_customer'],
          ],
        ],
        want: { status: 'CANCELLED', released_item_ids: ['itm_1'] },
      },
    ],
    [
      'an unknown sub-status is logged once and never throws',
      {
        given: [
          [
            'webhook',
            event('order.pending', order('PENDING', 'SOMETHING_NEW', ['PENDING'], 1), 'evt_1'),
            ['log_sub_status'],
          ],
          ['webhook', event('order.pending', order('PENDING', 'SOMETHING_NEW', ['PENDING'], 1), 'evt_2'), []],
          [
            'webhook',
            event('order.delivered', order('DELIVERED', 'SOMETHING_ELSE', ['DELIVERED'], 9), 'evt_3'),
            ['release_vouchers', 'log_sub_status'],
          ],
        ],
        want: { status: 'DELIVERED', sub_status: 'SOMETHING_ELSE' },
      },
    ],
  ])('%s', (_name, { given, want }) => {
    let record: LocalOrderRecord | undefined;
    given.forEach(([how, what, effects], i) => {
      const applied = how === 'order' ? applyOrder(record, what as Order) : applyWebhook(record, what as OrderEvent);
      expect(
        applied.effects.map((e) => e.type),
        `step ${i + 1}`,
      ).toEqual(effects);
      record = applied.record;
    });
    expect(record).toMatchObject(want);
  });

  it('releases exactly the delivered units and revokes exactly the released ones', () => {
    const first = applyOrder(undefined, example<Order>('CreateOrderResponseExample'));
    expect(first.effects).toEqual([
      {
        type: 'release_vouchers',
        items: [
          { item_id: 'itm_7Hc2kQ9xLm_1', voucher: { code: 'GC-4Q7T-9XKD-2LMP', url: null } },
          { item_id: 'itm_7Hc2kQ9xLm_2', voucher: { code: 'GC-8ZR3-1VNB-6HQW', url: null } },
        ],
      },
    ]);
    const late = applyWebhook(first.record, example<OrderEvent>('NotifyOrderCancelledLateRequestExample'));
    expect(late.effects).toEqual([
      { type: 'revoke_vouchers', item_ids: ['itm_7Hc2kQ9xLm_1', 'itm_7Hc2kQ9xLm_2'] },
      { type: 'refund_customer' },
    ]);
  });

  it('refuses an order applied to the record of another order', () => {
    const { record } = applyOrder(undefined, delivered);
    expect(() => applyOrder(record, { ...delivered, id: 'ord_2' })).toThrow(TypeError);
  });
});
