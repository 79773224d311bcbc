// Operator bulk-load (preloadOrders, decision SB15): many one-parcel clearance orders stored in one call, so a
// benchmark can give the sandbox a production-sized history (1,000,000 orders in 200 calls) instead of making as many
// creates.
import { fill } from '../../contract/messages.ts';
import {
  messages as operator,
  type PreloadOrdersRequest,
  type PreloadOrdersResponse,
} from '../../contract/sandbox-admin.ts';
import { messages as say } from '../../contract/starmile-partner.ts';
import { credentialOf } from './admin.ts';
import { clearanceServiceOf } from './catalogue.ts';
import type { Ctx } from './context.ts';
import { fail, jsonBody, type Reply } from './http.ts';
import { PRELOAD_TOTAL } from './limits.ts';
import type { OrderRecord, ParcelRecord, SandboxState } from './store.ts';
import { bodies, checkBody } from './validation.ts';

/**
 * Per sandbox: how many bulk-loads were asked for (their number names the references) and how many orders they stored.
 */
const ledgers = new WeakMap<SandboxState, { calls: number; total: number }>();

/** A sandbox's bulk-load counters, live (tests seed them to reach the bound without storing 2,000,000 orders). */
export function preloadLedger(state: SandboxState): { calls: number; total: number } {
  let ledger = ledgers.get(state);
  if (!ledger) {
    ledger = { calls: 0, total: 0 };
    ledgers.set(state, ledger);
  }
  return ledger;
}
const NO_STICKERS: ReadonlySet<string> = new Set();

/**
 * POST /_sandbox/orders/preload (preloadOrders): every check first, then one synchronous loop, so a call stores all or
 * nothing.
 */
export async function preloadOrders(ctx: Ctx): Promise<Reply> {
  const body = checkBody<PreloadOrdersRequest>(bodies.preloadOrders, await jsonBody(ctx.req));
  const { state } = ctx;
  const credential = credentialOf(ctx, body.client_id);
  const service = clearanceServiceOf(state.fixtures, credential);
  if (!service)
    throw fail(422, say.invalid, {
      client_id: [`${body.client_id} has no orderable clearance service to bulk-load orders on.`],
    });
  const load = preloadLedger(state);
  if (load.total + body.count > PRELOAD_TOTAL)
    throw fail(409, fill(operator.preloadOverBound, { total: load.total, count: body.count, bound: PRELOAD_TOTAL }));
  // Counted before the reference check, so a call refused for a taken reference leaves the next one a fresh prefix.
  const prefix = `preload${++load.calls}-`;
  const book = state.book(credential.partner_id);
  for (let i = 1; i <= body.count; i++)
    if (book.orders.has(prefix + i) || book.items.has(prefix + i))
      throw fail(409, `The reference ${prefix}${i} is already one of the partner's; nothing was stored.`);

  const now = state.timestamp();
  const stored: string[] = [];
  for (let i = 1; i <= body.count; i++) {
    const reference = prefix + i;
    const order: OrderRecord = {
      tracking: state.nextOrderTracking(),
      partnerId: credential.partner_id,
      warehouseId: credential.org_country_id,
      reference,
      serviceId: service.id,
      regionStatus: 'not_applicable',
      parentRegion: null,
      region: null,
      starmileRegionId: null,
      pudoId: null,
      shippingCost: null,
      consolidation: false,
      cancelled: false,
      cancellationReason: null,
      recipient: {},
      createdAt: now,
      updatedAt: now,
      parcels: [],
    };
    // As createOrder stores a parcel sent with an item_id and nothing else: the sticker code defaults to the parcel id.
    const parcelId = state.nextParcelId(book, NO_STICKERS);
    const parcel: ParcelRecord = {
      parcelId,
      itemId: reference,
      merchantTracking: parcelId,
      status: 'created',
      packageType: null,
      weightGrams: null,
      lengthMm: null,
      widthMm: null,
      heightMm: null,
      products: [],
      measured: null,
      updatedAt: now,
      order,
    };
    order.parcels.push(parcel);
    state.storeOrder(book, order);
    if (i === 1 || i === body.count) stored.push(order.tracking);
  }
  load.total += body.count;
  const response: PreloadOrdersResponse = {
    data: {
      client_id: body.client_id,
      service_id: service.id,
      count: body.count,
      first_order_id: stored[0]!,
      last_order_id: stored.at(-1)!,
      preloaded_total: load.total,
    },
  };
  return { status: 201, body: response };
}
