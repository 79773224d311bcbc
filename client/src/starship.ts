// Starship Rewards order lifecycle helpers (branching, sub-status decoding, terminal and stuck checks, idempotent
// webhook handling), all derived from the generated lifecycle model.

import {
  lifecycle,
  type StatusInfo,
  type SubStatusInfo,
  type Transition,
  type Trigger,
} from '../../contract/lifecycle.js';
import type {
  KnownSubStatus,
  Order,
  OrderEvent,
  OrderStatus,
  SubStatus,
  Voucher,
} from '../../contract/starship-rewards.js';

export type {
  LifecycleModel,
  LifecyclePath,
  PathStep,
  Source,
  StatusInfo,
  SubStatusInfo,
  Transition,
  TransitionEnd,
  Trigger,
} from '../../contract/lifecycle.js';
export type {
  CreateOrderRequest,
  ItemStatus,
  KnownSubStatus,
  Order,
  OrderCancelledEvent,
  OrderDeliveredEvent,
  OrderEvent,
  OrderItem,
  OrderPendingEvent,
  OrderStatus,
  SubStatus,
  Voucher,
  WebhookName,
} from '../../contract/starship-rewards.js';
// The model the helpers below read, for whoever needs more of it.
export { lifecycle };

// Maps, not object literals, so that a sub-status such as "__proto__" or "toString" is simply unknown.
const statusByName = new Map<string, StatusInfo>(lifecycle.statuses.map((s) => [s.name, s]));
const subStatusByName = new Map<string, SubStatusInfo>(lifecycle.sub_statuses.map((s) => [s.name, s]));

export const ORDER_STATUSES: readonly OrderStatus[] = lifecycle.statuses.map((s) => s.name);
export const KNOWN_SUB_STATUSES: readonly KnownSubStatus[] = lifecycle.sub_statuses.map((s) => s.name);

export const statusInfo = (status: OrderStatus): StatusInfo | undefined => statusByName.get(status);
export const isKnownSubStatus = (subStatus: unknown): subStatus is KnownSubStatus =>
  typeof subStatus === 'string' && subStatusByName.has(subStatus);

/** One handler per primary status; leaving one out is a type error, so a new status cannot go unhandled. */
export type StatusHandlers<O, R> = { [S in OrderStatus]: (order: O & { status: S }) => R };

/** Branch on the primary status, the field customer-facing logic keys off. */
export function matchStatus<O extends { status: OrderStatus }, R>(order: O, handlers: StatusHandlers<O, R>): R {
  const handler = handlers[order.status] as ((order: O) => R) | undefined;
  if (!handler) throw new TypeError(`not a Starship primary status: ${String(order.status)}`);
  return handler(order);
}

export type SubStatusDescription =
  | {
      known: true;
      name: KnownSubStatus;
      informational: boolean;
      meaning: string;
      action: string;
      typicalPrimaries: readonly OrderStatus[];
    }
  | { known: false; name: string; informational: true };

/** What a sub-status means and what to do; any value the model does not know is informational. Never throws. */
export function describeSubStatus(subStatus: SubStatus | null | undefined): SubStatusDescription {
  const info = typeof subStatus === 'string' ? subStatusByName.get(subStatus) : undefined;
  if (!info) return { known: false, name: String(subStatus), informational: true };
  return {
    known: true,
    name: info.name,
    informational: info.informational,
    meaning: info.meaning,
    action: info.action,
    typicalPrimaries: info.typical_primaries,
  };
}

/** DELIVERED, CANCELLED and FAILED are terminal (DELIVERED can still be refunded); PARTIALLY_DELIVERED converges. */
export const isTerminal = (status: OrderStatus): boolean => statusByName.get(status)?.terminal ?? false;
export const isRefundable = (status: OrderStatus): boolean => statusByName.get(status)?.refundable ?? false;

const HOUR = 3_600_000;

/** A PENDING order whose status last changed more than 24 hours before `now` is stuck: flag it for human review. */
export function isStuck(order: Pick<Order, 'status' | 'status_changed_at'>, now: Date | number = Date.now()): boolean {
  const hours = statusByName.get(order.status)?.stuck_after_hours;
  if (hours === undefined) return false;
  return +now - Date.parse(order.status_changed_at) > hours * HOUR;
}

/**
 * Whether a (status, sub-status) pair may occur: a known sub-status with one of its primaries, an unknown one with any.
 */
export function isAllowedPair(status: OrderStatus, subStatus: SubStatus): boolean {
  if (!statusByName.has(status)) return false;
  const info = subStatusByName.get(subStatus);
  return info ? info.primaries.includes(status) : true;
}

/** Every documented (status, sub-status) pair, for fixtures and conformance checks. */
export const allowedPairs = (): [OrderStatus, KnownSubStatus][] =>
  lifecycle.sub_statuses.flatMap((s) => s.primaries.map((p): [OrderStatus, KnownSubStatus] => [p, s.name]));

export interface OrderState {
  status: OrderStatus;
  sub_status: SubStatus;
}

/** A move inside one primary status that no listed transition describes. */
export interface WithinPrimaryMove {
  id: 'within-primary';
  by: Trigger[];
  webhook: null;
}

// A sub-status constraint holds when it is absent or lists the value; an unknown value passes (it is informational) but
// counts against the match.
function constraint(listed: readonly string[] | undefined, value: string): 'free' | 'listed' | 'unknown' | 'fails' {
  if (!listed) return 'free';
  if (listed.includes(value)) return 'listed';
  return subStatusByName.has(value) ? 'fails' : 'unknown';
}

/**
 * The transition of the model that describes a move, the most specific when several do; undefined when the move is not
 * allowed.
 */
export function matchTransition(from: OrderState, to: OrderState): Transition | WithinPrimaryMove | undefined {
  if (!isAllowedPair(from.status, from.sub_status) || !isAllowedPair(to.status, to.sub_status)) return undefined;
  let best: { t: Transition; unknown: number; listed: number } | undefined;
  for (const t of lifecycle.transitions) {
    if (t.from.status !== from.status || t.to.status !== to.status) continue;
    const checks = [constraint(t.from.sub_statuses, from.sub_status), constraint(t.to.sub_statuses, to.sub_status)];
    if (checks.includes('fails')) continue;
    const unknown = checks.filter((c) => c === 'unknown').length;
    const listed = checks.filter((c) => c === 'listed').length;
    if (!best || unknown < best.unknown || (unknown === best.unknown && listed > best.listed))
      best = { t, unknown, listed };
  }
  if (best) return best.t;
  if (from.status === to.status) return { id: 'within-primary', by: lifecycle.within_primary.by, webhook: null };
  return undefined;
}

export const isAllowedTransition = (from: OrderState, to: OrderState): boolean =>
  matchTransition(from, to) !== undefined;

/** The units delivered so far with their vouchers: iterate these on a PARTIALLY_DELIVERED order. */
export function deliveredVouchers(order: Pick<Order, 'items'>): { item_id: string; voucher: Voucher }[] {
  return order.items.flatMap((item) =>
    item.status === 'DELIVERED' && item.voucher ? [{ item_id: item.id, voucher: item.voucher }] : [],
  );
}

/** What your system remembers about one Starship order; keep it beside your own order. */
export interface LocalOrderRecord {
  readonly id: string;
  readonly status: OrderStatus;
  readonly sub_status: SubStatus;
  /** The `updated_at` of the newest order state applied: older states are ignored. */
  readonly updated_at: string;
  /** Units whose vouchers you released to the customer. */
  readonly released_item_ids: readonly string[];
  readonly customer_refunded: boolean;
  /** Webhook events already applied: a redelivery is recognised by its `event_id`. */
  readonly event_ids: readonly string[];
}

export type LifecycleEffect =
  /** Show or send these vouchers to the customer. */
  | { type: 'release_vouchers'; items: { item_id: string; voucher: Voucher }[] }
  /** A late cancellation: withdraw vouchers you released (they were recalled). */
  | { type: 'revoke_vouchers'; item_ids: string[] }
  /** The order is cancelled: refund your customer (once). */
  | { type: 'refund_customer' }
  /** Starship still owes the wallet refund (NOT_REFUNDED): a person must follow up. */
  | { type: 'flag_for_ops'; reason: 'refund_owed' }
  /** A sub-status the model does not know: informational, log it and carry on. */
  | { type: 'log_sub_status'; status: OrderStatus; sub_status: string };

export interface Applied {
  record: LocalOrderRecord;
  effects: LifecycleEffect[];
}

/**
 * Brings a local record up to an order state Starship reported (a create or read response, or a webhook's order) and
 * says what to do. Idempotent: applying the same or an older state again yields no effect.
 */
export function applyOrder(record: LocalOrderRecord | undefined, order: Order): Applied {
  if (record && record.id !== order.id)
    throw new TypeError(`order ${order.id} applied to the record of order ${record.id}`);
  // CANCELLED has no way out, so a different state after it can only be an old one delivered late.
  const closed =
    record !== undefined &&
    (statusByName.get(record.status)?.triggers_out.length ?? 0) === 0 &&
    order.status !== record.status;
  if (record && (Date.parse(order.updated_at) < Date.parse(record.updated_at) || closed))
    return { record, effects: [] };

  const effects: LifecycleEffect[] = [];
  const released = new Set(record?.released_item_ids ?? []);
  const toRelease = deliveredVouchers(order).filter((d) => !released.has(d.item_id));
  if (toRelease.length) effects.push({ type: 'release_vouchers', items: toRelease });
  const stillDelivered = new Set(deliveredVouchers(order).map((d) => d.item_id));
  const toRevoke = [...released].filter((id) => !stillDelivered.has(id));
  if (toRevoke.length) effects.push({ type: 'revoke_vouchers', item_ids: toRevoke });
  const refunded = record?.customer_refunded ?? false;
  if (order.status === 'CANCELLED' && !refunded) effects.push({ type: 'refund_customer' });
  const changedSub = !record || record.sub_status !== order.sub_status || record.status !== order.status;
  if (changedSub && order.sub_status === 'NOT_REFUNDED') effects.push({ type: 'flag_for_ops', reason: 'refund_owed' });
  if (changedSub && !isKnownSubStatus(order.sub_status))
    effects.push({ type: 'log_sub_status', status: order.status, sub_status: order.sub_status });

  return {
    record: {
      id: order.id,
      status: order.status,
      sub_status: order.sub_status,
      updated_at: order.updated_at,
      released_item_ids: [...[...released].filter((id) => stillDelivered.has(id)), ...toRelease.map((d) => d.item_id)],
      customer_refunded: refunded || order.status === 'CANCELLED',
      event_ids: record?.event_ids ?? [],
    },
    effects,
  };
}

/**
 * Handles one webhook delivery. A late `order.cancelled` after `DELIVERED` revokes the released vouchers and refunds
 * the customer once; the same event again (same `event_id`, or the same state under a new id) has no effect.
 */
export function applyWebhook(record: LocalOrderRecord | undefined, event: OrderEvent): Applied {
  if (record?.event_ids.includes(event.event_id)) return { record, effects: [] };
  const applied = applyOrder(record, event.order);
  return {
    record: { ...applied.record, event_ids: [...applied.record.event_ids, event.event_id] },
    effects: applied.effects,
  };
}

export {
  DEFAULT_TOLERANCE_SECONDS,
  type RawBody,
  SIGNATURE_HEADER,
  signWebhook,
  type VerifyOptions,
  verifyWebhook,
  type WebhookVerification,
} from './webhook-signature.js';
