// Code a partner writes against a hey-api client generated from the Starmile Partner spec. It compiles only if
// the generator kept the partner event union (one variant per `type`, each with its own fields) and the request shapes.

import type { ParcelStatus, PartnerEvent } from './client';
import { createOrder, reportEvent } from './client';

/** What an event addresses: narrowing on `type` picks the variant and its fields. */
export function addressOf(event: PartnerEvent): string {
  switch (event.type) {
    case 'parcel.measured':
      return `${event.parcel_id} weighs ${event.data.weight_grams} g`;
    case 'shipment.picked_up':
      // @ts-expect-error an order-level event has no parcel_id
      return event.parcel_id;
    default:
      return 'parcel_id' in event ? event.parcel_id : event.tracking_number;
  }
}

// @ts-expect-error not an event of the catalogue
export const unknownEvent: PartnerEvent['type'] = 'parcel.lost';
export const delivered: ParcelStatus = 'delivered';

export async function sendReceived(parcelId: string) {
  const { data, error } = await reportEvent({
    body: { event_id: 'evt-1', type: 'parcel.received', occurred_at: '2026-11-24T06:40:00Z', parcel_id: parcelId },
  });
  return data?.data.duplicate ?? error?.message;
}

export async function staleOrderIsRejectedByTheTypes() {
  // @ts-expect-error the stale quick-start shape (external_parent_id, items) is not the contract (D4)
  await createOrder({ body: { service_id: 5, external_parent_id: 'PO-1', items: [] } });
  return createOrder({ body: { service_id: 5, order_id: 'PO-1', parcels: [{ merchant_tracking: 'TRK-1' }] } });
}
