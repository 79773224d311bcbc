// The sandbox-only operator endpoints under /_sandbox/ (openapi/sandbox-admin): map a region, advance a parcel, expire
// tokens, read fixtures.

import { fill } from '../../contract/messages.ts';
import type {
  AdvanceParcelRequest,
  AdvanceParcelResponse,
  Credential,
  ExpireTokensRequest,
  ExpireTokensResponse,
  RegionMappingRequest,
  RegionMappingResponse,
} from '../../contract/sandbox-admin.ts';
import { messages as operator } from '../../contract/sandbox-admin.ts';
import { messages as say } from '../../contract/starmile-partner.ts';
import { expireTokens as expire } from './auth.ts';
import type { Ctx } from './context.ts';
import { fail, jsonBody, type Reply } from './http.ts';
import { shown } from './lookup.ts';
import { regionKey } from './store.ts';
import { bodies, checkBody } from './validation.ts';

/** The fixture credential an operator request names; 422 naming `client_id` otherwise. */
export function credentialOf(ctx: Ctx, clientId: string): Credential {
  const credential = ctx.state.credentials.get(clientId);
  if (!credential)
    throw fail(422, say.invalid, { client_id: [fill(operator.credentialNotInFixtures, { client_id: clientId })] });
  return credential;
}

/**
 * POST /_sandbox/region-mappings (mapRegion): waiting orders of the partner resolve, each parcel gets a region_resolved
 * entry.
 */
export async function mapRegion(ctx: Ctx): Promise<Reply> {
  const body = checkBody<RegionMappingRequest>(bodies.mapRegion, await jsonBody(ctx.req));
  const { state } = ctx;
  const partnerId = credentialOf(ctx, body.client_id).partner_id;
  const regionId = body.starmile_region_id ?? state.fixtures.regions[0]?.starmile_region_id;
  if (regionId === undefined || !state.fixtures.regions.some((r) => r.starmile_region_id === regionId))
    throw fail(422, say.invalid, { starmile_region_id: [`No Starmile region ${String(regionId)} in the fixtures.`] });
  const book = state.book(partnerId);
  const key = regionKey(body.parent_region, body.region);
  if (book.regions.has(key))
    throw fail(
      409,
      fill(operator.regionAlreadyMapped, {
        parent_region: body.parent_region,
        region: body.region,
        partner_id: partnerId,
      }),
    );
  book.regions.set(key, regionId);
  const now = state.timestamp();
  const resolved: string[] = [];
  for (const order of book.orders.values()) {
    if (
      order.regionStatus !== 'pending_mapping' ||
      order.cancelled ||
      order.parentRegion !== body.parent_region ||
      order.region !== body.region
    )
      continue;
    order.regionStatus = 'mapped';
    order.starmileRegionId = regionId;
    order.updatedAt = now;
    for (const parcel of order.parcels) state.record('region_resolved', parcel, parcel.status, now);
    resolved.push(order.tracking);
  }
  const response: RegionMappingResponse = {
    data: {
      partner_id: partnerId,
      parent_region: body.parent_region,
      region: body.region,
      starmile_region_id: regionId,
      resolved_orders: resolved,
    },
  };
  return { status: 201, body: response };
}

/** POST /_sandbox/parcels/{parcel_id}/advance (advanceParcel). */
export async function advanceParcel(ctx: Ctx): Promise<Reply> {
  const raw = await jsonBody(ctx.req, true);
  const { state } = ctx;
  const parcel = state.parcelsById.get(ctx.params[0]!);
  if (!parcel) throw fail(404, fill(operator.parcelNotFound, { parcel_id: shown(ctx.params[0]!) }));
  const body = raw === undefined ? {} : checkBody<AdvanceParcelRequest>(bodies.advanceParcel, raw);
  const status = body.status ?? 'received';
  if (status === 'cancelled')
    throw fail(422, 'Cancel the order through POST /api/v1/orders/{order_id}/cancel.', {
      status: ['cancelled is set only by cancelling the order.'],
    });
  if (parcel.order.cancelled) throw fail(409, fill(operator.parcelOfCancelledOrder, { parcel_id: parcel.parcelId }));
  if (parcel.status === 'delivered') throw fail(409, `Parcel ${parcel.parcelId} was delivered and cannot move.`);
  if (parcel.status !== status) {
    const previous = parcel.status;
    parcel.status = status;
    parcel.updatedAt = parcel.order.updatedAt = state.timestamp();
    state.record('status_changed', parcel, previous, parcel.updatedAt);
  }
  const response: AdvanceParcelResponse = { data: { parcel_id: parcel.parcelId, status: parcel.status } };
  return { status: 200, body: response };
}

/** POST /_sandbox/tokens/expire (expireTokens). */
export async function expireTokens(ctx: Ctx): Promise<Reply> {
  const raw = await jsonBody(ctx.req, true);
  const body = raw === undefined ? {} : checkBody<ExpireTokensRequest>(bodies.expireTokens, raw);
  if (body.client_id !== undefined) credentialOf(ctx, body.client_id);
  const response: ExpireTokensResponse = { data: { expired: expire(ctx.state, body.client_id) } };
  return { status: 200, body: response };
}

// Whether an Accept header admits application/json: absent, any type, application/any or application/json, with q above
// 0.
function acceptsJson(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(',').some((range) => {
    const [type = '', ...params] = range.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return ['*/*', 'application/*', 'application/json'].includes(type) && (!q || Number(q.slice(2)) > 0);
  });
}

/** GET /_sandbox/fixtures (getFixtures). */
export function getFixtures(ctx: Ctx): Reply {
  if (!acceptsJson(ctx.req.headers.accept)) throw fail(406, operator.fixturesJsonOnly);
  return { status: 200, body: ctx.state.fixtures };
}
