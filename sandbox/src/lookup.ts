// Finding a partner's order and parcel by the references the paths accept (D3); anything else, another partner's
// included, is 404 (X6).

import { fill } from '../../contract/messages.ts';
import type { Credential } from '../../contract/sandbox-admin.ts';
import { messages as say } from '../../contract/starmile-partner.ts';
import { fail } from './http.ts';
import type { OrderRecord, ParcelRecord, SandboxState } from './store.ts';

/** A path reference as echoed in a message: long enough to recognise, never the whole of an absurd one. */
export const shown = (ref: string) => (ref.length > 80 ? `${ref.slice(0, 80)}…` : ref);

/** `{order_id}`: the partner's own order_id first, then the Starmile tracking number of one of its orders. */
export function findOrder(state: SandboxState, credential: Credential, ref: string): OrderRecord {
  const own = state.book(credential.partner_id).orders.get(ref);
  if (own) return own;
  const byTracking = state.ordersByTracking.get(ref);
  if (byTracking && byTracking.partnerId === credential.partner_id) return byTracking;
  throw fail(404, fill(say.orderNotFound, { reference: shown(ref) }));
}

/** `{item_id}`: the parcel's item_id first, then its parcel_id, within that order. */
export function findParcel(state: SandboxState, order: OrderRecord, ref: string): ParcelRecord {
  const byItem = state.book(order.partnerId).items.get(ref);
  if (byItem && byItem.order === order) return byItem;
  const byId = state.parcelsById.get(ref);
  if (byId && byId.order === order) return byId;
  throw fail(404, `Parcel ${shown(ref)} was not found in order ${order.reference}.`);
}
