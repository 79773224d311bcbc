// The contract's response shapes of stored orders and parcels (X2): status derived, absent values as null.

import type { Order, OrderStatus, Parcel } from '../../contract/starmile-partner.ts';
import type { OrderRecord, ParcelRecord } from './store.ts';

/** X3: `created` while every parcel is at the first step, `delivered` when all are, `in_progress` otherwise. */
export function orderStatus(order: OrderRecord): OrderStatus {
  if (order.cancelled) return 'cancelled';
  if (order.parcels.every((p) => p.status === 'created')) return 'created';
  if (order.parcels.every((p) => p.status === 'delivered')) return 'delivered';
  return 'in_progress';
}

/** X3: past the first step means any status other than `created` and `cancelled`. */
export const pastFirstStep = (order: OrderRecord) =>
  order.parcels.some((p) => p.status !== 'created' && p.status !== 'cancelled');

export function parcelView(p: ParcelRecord): Parcel {
  return {
    parcel_id: p.parcelId,
    item_id: p.itemId,
    partner_tracking: p.itemId,
    merchant_tracking: p.merchantTracking,
    status: p.status,
    package_type: p.packageType,
    weight_grams: p.weightGrams,
    length_mm: p.lengthMm,
    width_mm: p.widthMm,
    height_mm: p.heightMm,
    products: p.products.map((product) => ({ ...product })),
    updated_at: p.updatedAt,
  };
}

export function orderView(order: OrderRecord): Order {
  return {
    order_id: order.tracking,
    external_parent_id: order.reference,
    service_id: order.serviceId,
    status: orderStatus(order),
    region_status: order.regionStatus,
    parent_region: order.parentRegion,
    region: order.region,
    pudo_id: order.pudoId,
    shipping_cost: order.shippingCost,
    consolidation_required: order.consolidation,
    cancellation_reason: order.cancellationReason,
    created_at: order.createdAt,
    updated_at: order.updatedAt,
    parcels: order.parcels.map(parcelView),
  };
}
