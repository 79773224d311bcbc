// The sandbox's Starship moves are checked against the lifecycle model at run time: a move the model does not allow, or
// not the one meant, throws and changes nothing.
import { describe, expect, test } from 'vitest';
import type { Trigger } from '../../client/src/starship.ts';
import type { Order, OrderItem } from '../../contract/starship-rewards.ts';
import { checkItems, IllegalTransition, move, type Target } from '../src/starship/lifecycle.ts';

const pending: OrderItem = { id: 'itm_a_1', status: 'PENDING', voucher: null };
const delivered: OrderItem = { id: 'itm_a_1', status: 'DELIVERED', voucher: { code: 'GC-1', url: null } };

function order(status: Order['status'], sub_status: string, items: OrderItem[]): Order {
  const at = '2025-03-14T09:00:00.000Z';
  return {
    id: 'ord_a',
    reference: null,
    sku: 'AMZ-GC-25-EUR',
    status,
    sub_status,
    items,
    created_at: at,
    updated_at: at,
    status_changed_at: at,
  };
}

const NOW = '2025-03-14T10:00:00.000Z';
const toDelivered = (items: OrderItem[]) =>
  items.map((i) => ({ ...i, status: 'DELIVERED' as const, voucher: { code: 'GC-2', url: null } }));

describe('moves the model refuses', () => {
  test.each<[string, Order, Target, string, Trigger, ((i: OrderItem[]) => OrderItem[]) | undefined, RegExp]>([
    [
      'DELIVERED back to PENDING',
      order('DELIVERED', 'COMPLETED', [delivered]),
      { status: 'PENDING', sub_status: 'PROCESSING' },
      'pending-deliver',
      'admin',
      undefined,
      /not a transition/,
    ],
    [
      'CANCELLED has no exit',
      order('CANCELLED', 'REFUNDED', [{ ...pending, status: 'CANCELLED' }]),
      { status: 'DELIVERED', sub_status: 'COMPLETED' },
      'late-cancel',
      'admin',
      toDelivered,
      /not a transition/,
    ],
    [
      'a pair the model does not allow',
      order('PLACED', 'INITIAL', [pending]),
      { status: 'PENDING', sub_status: 'COMPLETED' },
      'placed-pending',
      'starship',
      undefined,
      /not a transition/,
    ],
    [
      'PLACED straight to DELIVERED',
      order('PLACED', 'INITIAL', [pending]),
      { status: 'DELIVERED', sub_status: 'COMPLETED' },
      'instant-finalize',
      'starship',
      toDelivered,
      /not a transition/,
    ],
    [
      'the model matches another transition',
      order('PENDING', 'VENDOR_ORDER_PENDING', [pending]),
      { status: 'DELIVERED', sub_status: 'COMPLETED' },
      'vendor-finalize',
      'starship',
      toDelivered,
      /is pending-deliver in the model/,
    ],
    [
      'a trigger the transition does not list',
      order('PENDING', 'INVENTORY_FULFILLED', [pending]),
      { status: 'DELIVERED', sub_status: 'COMPLETED' },
      'instant-finalize',
      'admin',
      toDelivered,
      /not made by admin/,
    ],
    [
      'DELIVERED with a unit still pending',
      order('PENDING', 'INVENTORY_FULFILLED', [pending]),
      { status: 'DELIVERED', sub_status: 'COMPLETED' },
      'instant-finalize',
      'starship',
      undefined,
      /may not hold a PENDING item/,
    ],
    [
      'a delivered unit without its voucher',
      order('PENDING', 'INVENTORY_FULFILLED', [pending]),
      { status: 'DELIVERED', sub_status: 'COMPLETED' },
      'instant-finalize',
      'starship',
      (i) => i.map((x) => ({ ...x, status: 'DELIVERED' })),
      /without a voucher/,
    ],
    [
      'a cancelled unit keeping its voucher',
      order('DELIVERED', 'COMPLETED', [delivered]),
      { status: 'CANCELLED', sub_status: 'REFUNDED' },
      'late-cancel',
      'admin',
      (i) => i.map((x) => ({ ...x, status: 'CANCELLED' })),
      /with a voucher/,
    ],
    [
      'PARTIALLY_DELIVERED with nothing delivered',
      order('PENDING', 'PROCESSING', [pending, { ...pending, id: 'itm_a_2' }]),
      { status: 'PARTIALLY_DELIVERED', sub_status: 'PARTIAL' },
      'pending-partial',
      'inventory_pump',
      undefined,
      /at least one DELIVERED/,
    ],
  ])('%s throws IllegalTransition and changes nothing', (_name, o, to, expected, by, items, message) => {
    const before = structuredClone(o);
    expect(() => move(o, to, expected, by, NOW, items)).toThrow(IllegalTransition);
    expect(() => move(o, to, expected, by, NOW, items)).toThrow(message);
    expect(o).toEqual(before);
  });
});

describe('moves the model allows', () => {
  test.each<
    [string, Order, Target, string, Trigger, ((i: OrderItem[]) => OrderItem[]) | undefined, string | null, boolean]
  >([
    [
      'inventory hit',
      order('PLACED', 'INITIAL', [pending]),
      { status: 'PENDING', sub_status: 'INVENTORY_FULFILLED' },
      'placed-inventory-hit',
      'starship',
      undefined,
      null,
      true,
    ],
    [
      'inventory miss',
      order('PLACED', 'INITIAL', [pending]),
      { status: 'PENDING', sub_status: 'VENDOR_ORDER_PENDING' },
      'placed-inventory-miss',
      'starship',
      undefined,
      'order.pending',
      true,
    ],
    [
      'vendor retry succeeds (sub-status only)',
      order('PENDING', 'VENDOR_ORDER_PENDING', [pending]),
      { status: 'PENDING', sub_status: 'VENDOR_VOUCHER_FETCHED' },
      'admin-vendor-retry-succeeds',
      'admin',
      undefined,
      null,
      false,
    ],
    [
      'late cancellation',
      order('DELIVERED', 'COMPLETED', [delivered]),
      { status: 'CANCELLED', sub_status: 'NOT_REFUNDED' },
      'late-cancel',
      'admin',
      (i) => i.map((x) => ({ ...x, status: 'CANCELLED', voucher: null })),
      'order.cancelled',
      true,
    ],
  ])(
    "%s: the step names the model's transition and webhook",
    (_name, o, to, expected, by, items, webhook, primaryChanged) => {
      const step = move(o, to, expected, by, NOW, items);
      expect(step).toEqual({ transition: expected, status: to.status, sub_status: to.sub_status, webhook });
      expect([o.status, o.sub_status, o.updated_at]).toEqual([to.status, to.sub_status, NOW]);
      expect(o.status_changed_at === NOW).toBe(primaryChanged);
    },
  );

  test('checkItems refuses an order without items', () => {
    expect(() => checkItems('PLACED', [])).toThrow(IllegalTransition);
  });
});
