// Partner events (X5): the catalogue read from the spec (type, x-moves-to, what it addresses), idempotency per
// event_id, and the moves they make.
import { loadSpec } from '../../contract/index.ts';
import { fill } from '../../contract/messages.ts';
import type { Credential } from '../../contract/sandbox-admin.ts';
import {
  type EventAcceptedResponse,
  type ParcelMeasuredEvent,
  type ParcelStatus,
  type PartnerEvent,
  messages as say,
} from '../../contract/starmile-partner.ts';
import type { Ctx } from './context.ts';
import { fail, jsonBody, type Reply } from './http.ts';
import type { ParcelRecord, SandboxState } from './store.ts';
import { bodies, checkBody } from './validation.ts';

export interface EventKind {
  type: string;
  /** The status the event moves parcels to; null for events that record without moving (parcel.measured). */
  movesTo: ParcelStatus | null;
  addresses: 'order' | 'parcel';
}

/** Every event type of the PartnerEvent oneOf, as the spec defines it; nothing here is copied by hand. */
export function eventCatalogue(): Map<string, EventKind> {
  const schemas = loadSpec('starmile-partner').components.schemas;
  const catalogue = new Map<string, EventKind>();
  for (const { $ref } of schemas.PartnerEvent.oneOf as { $ref: string }[]) {
    const schema = schemas[$ref.split('/').pop()!];
    const type = schema.properties.type.const as string;
    const required = schema.required as string[];
    const addresses = required.includes('tracking_number') ? 'order' : required.includes('parcel_id') ? 'parcel' : null;
    if (!addresses) throw new Error(`event ${type} addresses neither an order nor a parcel`);
    if (!('x-moves-to' in schema)) throw new Error(`event ${type} has no x-moves-to`);
    catalogue.set(type, { type, movesTo: schema['x-moves-to'] ?? null, addresses });
  }
  return catalogue;
}

const catalogue = eventCatalogue();

/** JSON with sorted keys, so a resent event compares equal whatever its key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** The parcels an event addresses, among the partner's own packages only (X6: 422 naming the field otherwise). */
function addressed(state: SandboxState, credential: Credential, event: PartnerEvent, kind: EventKind): ParcelRecord[] {
  if (kind.addresses === 'order') {
    const tracking = (event as { tracking_number: string }).tracking_number;
    const order = state.ordersByTracking.get(tracking);
    if (!order || order.partnerId !== credential.partner_id)
      throw fail(422, say.invalid, { tracking_number: [fill(say.orderNotYours, { tracking_number: tracking })] });
    return order.parcels;
  }
  const parcelId = (event as { parcel_id: string }).parcel_id;
  const parcel = state.parcelsById.get(parcelId);
  if (!parcel || parcel.order.partnerId !== credential.partner_id)
    throw fail(422, say.invalid, { parcel_id: [fill(say.parcelNotYours, { parcel_id: parcelId })] });
  return [parcel];
}

/** POST /api/v1/partner/events (reportEvent). */
export async function reportEvent(ctx: Ctx, credential: Credential): Promise<Reply> {
  const event = checkBody<PartnerEvent>(bodies.reportEvent, await jsonBody(ctx.req));
  const { state } = ctx;
  // Read as a plain string: the generated union types `type` with schema names, not the wire values.
  const type: string = event.type;
  const kind = catalogue.get(type);
  if (!kind) throw new Error(`event type ${type} passed validation but is not in the catalogue`);
  const book = state.book(credential.partner_id);
  const canonical = canonicalJson(event);
  const prior = book.events.get(event.event_id);
  if (prior) {
    if (prior.canonical !== canonical) throw fail(409, fill(say.eventConflict, { event_id: event.event_id }));
    const body: EventAcceptedResponse = {
      data: { event_id: event.event_id, type: prior.type, duplicate: true, parcels: prior.parcels },
    };
    return { status: 200, body };
  }
  const parcels = addressed(state, credential, event, kind);
  const order = parcels[0]!.order;
  if (order.cancelled) throw fail(409, `Order ${order.tracking} was cancelled; the event cannot apply.`);
  const delivered = parcels.find((p) => p.status === 'delivered');
  if (delivered) throw fail(409, `Parcel ${delivered.parcelId} was delivered; the event cannot apply.`);

  const now = state.timestamp();
  for (const parcel of parcels) {
    // The only event that moves nothing is the DWS measurement; its data is what the hub measured.
    if (kind.movesTo === null) parcel.measured = { ...(event as ParcelMeasuredEvent).data };
    if (kind.movesTo === null || parcel.status === kind.movesTo) continue;
    const previous = parcel.status;
    parcel.status = kind.movesTo;
    parcel.updatedAt = order.updatedAt = now;
    state.record('status_changed', parcel, previous, now);
  }
  const result = parcels.map((p) => ({ parcel_id: p.parcelId, status: p.status }));
  book.events.set(event.event_id, { canonical, type, parcels: result });
  const body: EventAcceptedResponse = { data: { event_id: event.event_id, type, duplicate: false, parcels: result } };
  return { status: 202, body };
}
