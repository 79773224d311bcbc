// Code a partner writes against a hey-api client generated from the Starship Rewards spec. It compiles only if
// the generator kept the known sub-statuses (SX6) and the literal status of each webhook payload (SX7).

import type {
  KnownSubStatus,
  Order,
  OrderCancelledEvent,
  OrderDeliveredEvent,
  OrderPendingEvent,
  SubStatus,
} from './client';
import { createOrder, getOrder } from './client';

// What ops sees for the sub-statuses that need a person; a typo in a key is a compile error.
export const needsOps: Partial<Record<KnownSubStatus, string>> = {
  VENDOR_ORDER_FAILED: 'The vendor rejected the order',
  REPROCESS_EXPIRED: 'Retries ran out',
  NOT_REFUNDED: 'Starship still owes the wallet refund',
  // @ts-expect-error not a documented sub-status: the generator kept the known values
  VENDOR_ORDER_FAIL: 'typo',
};

// The documented values are a closed list; the field itself is open.
// @ts-expect-error an undocumented value is not a KnownSubStatus
export const notKnown: KnownSubStatus = 'BEING_AUDITED';
export const stillValid: SubStatus = 'BEING_AUDITED';

export function opsNote(order: Order): string | undefined {
  return (needsOps as Partial<Record<string, string>>)[order.sub_status];
}

export type StarshipWebhook = OrderPendingEvent | OrderDeliveredEvent | OrderCancelledEvent;

/** Each payload announces one status: narrowing on `type` gives its literal. */
export function announced(event: StarshipWebhook): 'PENDING' | 'DELIVERED' | 'CANCELLED' {
  switch (event.type) {
    case 'order.pending': {
      const status: 'PENDING' = event.order.status;
      return status;
    }
    case 'order.delivered': {
      // @ts-expect-error a delivered event's order is DELIVERED, never CANCELLED
      const wrong: 'CANCELLED' = event.order.status;
      return wrong;
    }
    default:
      return event.order.status;
  }
}

export async function placeAndRead(): Promise<SubStatus | undefined> {
  const placed = await createOrder({ body: { sku: 'AMZ-GC-25-EUR', quantity: 2, reference: 'loyalty-7781' } });
  if (!placed.data) return undefined;
  const read = await getOrder({ path: { id: placed.data.id } });
  return read.data?.sub_status;
}
