// Code an operator script writes against a hey-api client generated from the sandbox operator spec: it compiles
// only if the generator kept the parcel statuses and the Starship shapes it shares with the Starship spec.

import type { KnownSubStatus } from './client';
import { advanceParcel, escalateStarshipOrder } from './client';

export async function receive(parcelId: string) {
  // @ts-expect-error not a parcel status
  await advanceParcel({ path: { parcel_id: parcelId }, body: { status: 'teleported' } });
  const { data } = await advanceParcel({ path: { parcel_id: parcelId }, body: { status: 'received' } });
  return data;
}

export async function escalate(id: string): Promise<KnownSubStatus | string | undefined> {
  const { data } = await escalateStarshipOrder({ path: { id }, body: { outcome: 'vouchers' } });
  return data?.data.order.sub_status;
}
