// Moves a Starship order only along the lifecycle model: every transition the sandbox makes is matched against
// lifecycle.json at run time, and an illegal one throws.
import { matchTransition, statusInfo } from '../../../client/src/starship.ts';
import { lifecycle, type Trigger } from '../../../contract/lifecycle.ts';
import type { StarshipTransitionStep } from '../../../contract/sandbox-admin.ts';
import type { Order, OrderItem } from '../../../contract/starship-rewards.ts';

/** A move the model does not allow, or not the one the sandbox meant: always a bug of the sandbox. */
export class IllegalTransition extends Error {
  override readonly name = 'IllegalTransition';
}

export interface Target {
  status: Order['status'];
  sub_status: Order['sub_status'];
}

const pair = (o: Target) => `${o.status} · ${o.sub_status}`;

/**
 * Throws unless the items fit the status as the model says: allowed item statuses, the required ones present, a voucher
 * exactly on DELIVERED units.
 */
export function checkItems(status: Order['status'], items: readonly OrderItem[]): void {
  const info = statusInfo(status);
  if (!info) throw new IllegalTransition(`${status} is not a status of the model`);
  if (!items.length) throw new IllegalTransition(`an order in ${status} without items`);
  for (const item of items) {
    if (!info.items.allowed.includes(item.status))
      throw new IllegalTransition(`${status} may not hold a ${item.status} item (${item.id})`);
    if ((item.status === 'DELIVERED') !== (item.voucher !== null))
      throw new IllegalTransition(`item ${item.id} is ${item.status} ${item.voucher ? 'with' : 'without'} a voucher`);
  }
  for (const required of info.items.required)
    if (!items.some((i) => i.status === required))
      throw new IllegalTransition(`${status} must hold at least one ${required} item`);
}

/**
 * Moves `order` to `to` as the model's transition `expected` by `by`, with the items `items` makes
 * of the current ones, and returns the step (the webhook the model names for it). Nothing changes
 * when the move is refused.
 */
export function move(
  order: Order,
  to: Target,
  expected: string,
  by: Trigger,
  now: string,
  items: (current: OrderItem[]) => OrderItem[] = (current) => current,
): StarshipTransitionStep {
  const transition = matchTransition(order, to);
  if (!transition) throw new IllegalTransition(`${pair(order)} -> ${pair(to)} is not a transition of the model`);
  if (transition.id !== expected)
    throw new IllegalTransition(`${pair(order)} -> ${pair(to)} is ${transition.id} in the model, not ${expected}`);
  const allowedBy = transition.id === 'within-primary' ? lifecycle.within_primary.by : transition.by;
  if (!allowedBy.includes(by))
    throw new IllegalTransition(`${transition.id} is not made by ${by} (the model says ${allowedBy.join(', ')})`);
  const next = items(order.items.map((i) => ({ ...i })));
  checkItems(to.status, next);
  if (order.status !== to.status) order.status_changed_at = now;
  order.status = to.status;
  order.sub_status = to.sub_status;
  order.items = next;
  order.updated_at = now;
  return { transition: transition.id, status: to.status, sub_status: to.sub_status, webhook: transition.webhook };
}
