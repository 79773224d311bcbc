// The order operations: create (every 422 rule, D5/D11/D12), read back (X2), update a parcel, cancel.

import { fill } from '../../contract/messages.ts';
import type { Credential } from '../../contract/sandbox-admin.ts';
import {
  type CancelOrderRequest,
  type CreateOrderRequest,
  type CreateOrderResponse,
  type OrderResponse,
  type ParcelResponse,
  type Product,
  type Service,
  messages as say,
  type UpdateParcelRequest,
} from '../../contract/starmile-partner.ts';
import { orderableService } from './catalogue.ts';
import type { Ctx } from './context.ts';
import { fail, jsonBody, type Reply } from './http.ts';
import { findOrder, findParcel } from './lookup.ts';
import { type OrderRecord, type ParcelRecord, type PartnerBook, regionKey, type SandboxState } from './store.ts';
import { bodies, checkBody } from './validation.ts';
import { orderView, parcelView, pastFirstStep } from './views.ts';

/** Business-rule failures of one request, each with the field it names and a summary sentence for `message`. */
class RuleErrors {
  readonly errors: Record<string, string[]> = {};
  private readonly summaries = new Set<string>();
  add(field: string, detail: string, summary: string): void {
    this.errors[field] ??= [];
    this.errors[field].push(detail);
    this.summaries.add(summary);
  }
  throwIfAny(): void {
    if (!this.summaries.size) return;
    const [only] = this.summaries;
    throw fail(422, this.summaries.size === 1 && only ? only : say.invalid, this.errors);
  }
}

const LABEL: Record<Service['delivery_type'], string> = {
  home_delivery: 'Home Delivery',
  pudo: 'PUDO',
  locker: 'locker',
  clearance: 'Clearance',
  cross_docking: 'Cross Docking',
};

/** D11/D12: the destination fields each delivery type takes, required or rejected. */
function checkDestination(state: SandboxState, service: Service, body: CreateOrderRequest, rules: RuleErrors): void {
  const label = LABEL[service.delivery_type];
  const notTaken = (field: 'pudo_id' | 'parent_region' | 'region') => {
    if (body[field] !== undefined)
      rules.add(
        field,
        `A ${label} service takes no ${field}.`,
        `The ${field} field is not accepted on a ${label} service.`,
      );
  };
  switch (service.delivery_type) {
    case 'home_delivery':
      for (const field of ['parent_region', 'region'] as const)
        if (body[field] === undefined)
          rules.add(field, fill(say.regionRequired, { field }), say.homeDeliveryNeedsRegion);
      notTaken('pudo_id');
      break;
    case 'pudo':
    case 'locker': {
      const summary = `A ${label} service needs the pudo_id of a point in ${service.destination_country}.`;
      if (body.pudo_id === undefined)
        rules.add('pudo_id', `The pudo_id field is required for a ${label} service.`, summary);
      else {
        const point = state.fixtures.pudo_points.find((p) => p.pudo_id === body.pudo_id);
        if (!point) rules.add('pudo_id', `No PUDO point ${body.pudo_id}.`, summary);
        else if (point.country !== service.destination_country)
          rules.add(
            'pudo_id',
            `PUDO point ${body.pudo_id} is in ${point.country}, not in the service's destination country ${service.destination_country}.`,
            summary,
          );
      }
      notTaken('parent_region');
      notTaken('region');
      break;
    }
    case 'clearance':
    case 'cross_docking':
      notTaken('pudo_id');
      notTaken('parent_region');
      notTaken('region');
      break;
  }
}

/** D5: references unique per partner across all its orders, and not repeated within this one. */
function checkReferences(book: PartnerBook, body: CreateOrderRequest, rules: RuleErrors): void {
  if (book.orders.has(body.order_id))
    rules.add(
      'order_id',
      fill(say.referenceUsedOnOrder, { field: 'order_id', value: body.order_id }),
      fill(say.referenceUsed, { field: 'order_id' }),
    );
  for (const field of ['item_id', 'merchant_tracking'] as const) {
    const index = field === 'item_id' ? book.items : book.merchant;
    const seen = new Map<string, number>();
    for (let i = 0; i < body.parcels.length; i++) {
      const value = body.parcels[i]![field];
      if (value === undefined) continue;
      const first = seen.get(value);
      if (first !== undefined)
        rules.add(
          `parcels.${i}.${field}`,
          `The ${field} ${value} is repeated in this order (also parcels.${first}).`,
          `A ${field} is repeated in this order.`,
        );
      else {
        if (index.has(value))
          rules.add(
            `parcels.${i}.${field}`,
            fill(say.referenceUsedOnParcel, { field, value }),
            fill(say.referenceUsed, { field }),
          );
        seen.set(value, i);
      }
    }
  }
}

/** The parsed products, kept as they are (the body is ours) with the schema's default quantity of 1 filled in. */
function withDefaults(products: Product[] | undefined): Product[] {
  if (!products) return [];
  for (const p of products) p.quantity ??= 1;
  return products;
}

const RECIPIENT_FIELDS = [
  'gov_id',
  'customer_name',
  'customer_phone',
  'customer_email',
  'address_first',
  'address_second',
  'zip',
  'notes',
] as const;

/**
 * POST /api/v1/orders (createOrder). Validates everything, then stores with no await in between, so uniqueness holds
 * under concurrency.
 */
export async function createOrder(ctx: Ctx, credential: Credential): Promise<Reply> {
  const body = checkBody<CreateOrderRequest>(bodies.createOrder, await jsonBody(ctx.req));
  const { state } = ctx;
  const book = state.book(credential.partner_id);
  const rules = new RuleErrors();
  const service = orderableService(state.fixtures, credential, body.service_id);
  if (!service)
    rules.add('service_id', fill(say.serviceNotPublished, { service_id: body.service_id }), say.serviceNotAvailable);
  else {
    checkDestination(state, service, body, rules);
    if (body.consolidation_required === true && !service.consolidation_enabled)
      rules.add('consolidation_required', say.consolidationNotEnabled, say.consolidationNotEnabled);
  }
  checkReferences(book, body, rules);
  rules.throwIfAny();
  if (!service) throw new Error('unreachable: a missing service is a rule error');

  const now = state.timestamp();
  const home = service.delivery_type === 'home_delivery';
  const mapped = home ? book.regions.get(regionKey(body.parent_region!, body.region!)) : undefined;
  const recipient: Record<string, string> = {};
  for (const field of RECIPIENT_FIELDS) if (body[field] !== undefined) recipient[field] = body[field]!;
  const order: OrderRecord = {
    tracking: state.nextOrderTracking(),
    partnerId: credential.partner_id,
    warehouseId: credential.org_country_id,
    reference: body.order_id,
    serviceId: service.id,
    regionStatus: home ? (mapped === undefined ? 'pending_mapping' : 'mapped') : 'not_applicable',
    parentRegion: body.parent_region ?? null,
    region: body.region ?? null,
    starmileRegionId: mapped ?? null,
    pudoId: body.pudo_id ?? null,
    // "A zero (or omitted) shipping cost is treated as none."
    shippingCost: body.shipping_cost ? body.shipping_cost : null,
    consolidation: body.consolidation_required ?? false,
    cancelled: false,
    cancellationReason: null,
    recipient,
    createdAt: now,
    updatedAt: now,
    parcels: [],
  };
  const stickers = new Set<string>();
  for (const p of body.parcels) if (p.merchant_tracking !== undefined) stickers.add(p.merchant_tracking);
  for (const p of body.parcels) {
    const parcelId = state.nextParcelId(book, stickers);
    const parcel: ParcelRecord = {
      parcelId,
      itemId: p.item_id ?? null,
      merchantTracking: p.merchant_tracking ?? parcelId,
      status: 'created',
      packageType: p.package_type ?? null,
      weightGrams: p.weight_grams ?? null,
      lengthMm: p.length_mm ?? null,
      widthMm: p.width_mm ?? null,
      heightMm: p.height_mm ?? null,
      products: withDefaults(p.products),
      measured: null,
      updatedAt: now,
      order,
    };
    order.parcels.push(parcel);
  }
  state.storeOrder(book, order);

  const response: CreateOrderResponse = {
    data: {
      order_id: order.tracking,
      external_parent_id: order.reference,
      region_status: order.regionStatus,
      items: order.parcels.map((p) => ({
        item_id: p.itemId,
        parcel_id: p.parcelId,
        merchant_tracking: p.merchantTracking,
      })),
    },
  };
  return { status: 201, body: response, headers: { Location: `/api/v1/orders/${order.tracking}` } };
}

/** GET /api/v1/orders/{order_id} (getOrder). */
export function getOrder(ctx: Ctx, credential: Credential): Reply {
  const order = findOrder(ctx.state, credential, ctx.params[0]!);
  return { status: 200, body: { data: orderView(order) } satisfies OrderResponse };
}

/** PATCH /api/v1/orders/{order_id}/parcels/{item_id} (updateParcel): partial, `products` replaces the list. */
export async function updateParcel(ctx: Ctx, credential: Credential): Promise<Reply> {
  const raw = await jsonBody(ctx.req);
  const { state } = ctx;
  const order = findOrder(state, credential, ctx.params[0]!);
  const parcel = findParcel(state, order, ctx.params[1]!);
  const body = checkBody<UpdateParcelRequest>(bodies.updateParcel, raw);
  if (order.cancelled) throw fail(409, `Order ${order.reference} was cancelled and can no longer be updated.`);
  if (pastFirstStep(order)) throw fail(409, fill(say.notUpdatable, { reference: order.reference }));
  const book = state.book(order.partnerId);
  const sticker = body.merchant_tracking;
  if (sticker !== undefined && sticker !== parcel.merchantTracking && book.merchant.has(sticker))
    throw fail(422, fill(say.referenceUsed, { field: 'merchant_tracking' }), {
      merchant_tracking: [`The merchant_tracking ${sticker} has already been used on another parcel.`],
    });

  if (sticker !== undefined && sticker !== parcel.merchantTracking) {
    book.merchant.delete(parcel.merchantTracking);
    book.merchant.set(sticker, parcel);
    parcel.merchantTracking = sticker;
  }
  if (body.package_type !== undefined) parcel.packageType = body.package_type;
  if (body.weight_grams !== undefined) parcel.weightGrams = body.weight_grams;
  if (body.length_mm !== undefined) parcel.lengthMm = body.length_mm;
  if (body.width_mm !== undefined) parcel.widthMm = body.width_mm;
  if (body.height_mm !== undefined) parcel.heightMm = body.height_mm;
  if (body.products !== undefined) parcel.products = withDefaults(body.products);
  parcel.updatedAt = order.updatedAt = state.timestamp();
  return { status: 200, body: { data: parcelView(parcel) } satisfies ParcelResponse };
}

/** POST /api/v1/orders/{order_id}/cancel (cancelOrder): idempotent once cancelled, 409 past the first step. */
export async function cancelOrder(ctx: Ctx, credential: Credential): Promise<Reply> {
  const raw = await jsonBody(ctx.req, true);
  const { state } = ctx;
  const order = findOrder(state, credential, ctx.params[0]!);
  const body = raw === undefined ? {} : checkBody<CancelOrderRequest>(bodies.cancelOrder, raw);
  if (!order.cancelled) {
    if (pastFirstStep(order)) throw fail(409, fill(say.notCancellable, { reference: order.reference }));
    const now = state.timestamp();
    order.cancelled = true;
    order.cancellationReason = body.reason ?? null;
    order.updatedAt = now;
    for (const parcel of order.parcels) {
      const previous = parcel.status;
      parcel.status = 'cancelled';
      parcel.updatedAt = now;
      state.record('cancelled', parcel, previous, now);
    }
  }
  return { status: 200, body: { data: orderView(order) } satisfies OrderResponse };
}
