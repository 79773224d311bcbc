// The route table: every operation of the three specs (Starship under its prefix), its path pattern, the scope it needs and its handler.
import * as admin from './admin.ts';
import { authenticate, createToken } from './auth.ts';
import { listRates, listServices } from './catalogue.ts';
import type { Ctx, Handler, PartnerHandler } from './context.ts';
import { reportEvent } from './events.ts';
import { listChanges } from './feed.ts';
import { cancelOrder, createOrder, getOrder, updateParcel } from './orders.ts';
import { preloadOrders } from './preload.ts';
import * as starship from './starship/api.ts';
import * as starshipControls from './starship/controls.ts';
import { STARSHIP_PREFIX } from './starship/prefix.ts';
import type { RateList, ServiceList } from '../../contract/starmile-partner.ts';
import type { Scope } from './types.ts';

export interface Route {
  method: string;
  template: string;
  operationId: string;
  pattern: RegExp;
  handler: Handler;
}

/** Authenticates before the handler runs, so 401/403 come before any look at the body (X6, D6). */
const partner =
  (scope: Scope, handler: PartnerHandler): Handler =>
  (ctx: Ctx) =>
    handler(ctx, authenticate(ctx.req, ctx.state, scope));

const route = (method: string, template: string, operationId: string, handler: Handler): Route => ({
  method,
  template,
  operationId,
  // Path parameters match one non-empty segment; they are decoded by the router.
  pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '([^/]+)')}$`),
  handler,
});

export const routes: Route[] = [
  route('POST', '/oauth/token', 'createToken', (ctx) => createToken(ctx.req, ctx.state)),
  route('GET', '/api/v1/services', 'listServices', partner('orders:create', (ctx, c) => ({ status: 200, body: { data: listServices(ctx.state.fixtures, c) } satisfies ServiceList }))),
  route('GET', '/api/v1/rates', 'listRates', partner('orders:create', (ctx, c) => ({ status: 200, body: { data: listRates(ctx.state.fixtures, c) } satisfies RateList }))),
  route('POST', '/api/v1/orders', 'createOrder', partner('orders:create', createOrder)),
  route('GET', '/api/v1/orders/{order_id}', 'getOrder', partner('status:read', getOrder)),
  route('PATCH', '/api/v1/orders/{order_id}/parcels/{item_id}', 'updateParcel', partner('orders:update', updateParcel)),
  route('POST', '/api/v1/orders/{order_id}/cancel', 'cancelOrder', partner('orders:cancel', cancelOrder)),
  route('GET', '/api/v1/partner/changes', 'listChanges', partner('status:read', listChanges)),
  route('POST', '/api/v1/partner/events', 'reportEvent', partner('events:transport', reportEvent)),
  route('POST', '/_sandbox/region-mappings', 'mapRegion', admin.mapRegion),
  route('POST', '/_sandbox/parcels/{parcel_id}/advance', 'advanceParcel', admin.advanceParcel),
  route('POST', '/_sandbox/tokens/expire', 'expireTokens', admin.expireTokens),
  route('GET', '/_sandbox/fixtures', 'getFixtures', admin.getFixtures),
  route('POST', '/_sandbox/orders/preload', 'preloadOrders', preloadOrders),
  route('POST', `${STARSHIP_PREFIX}/orders`, 'createOrder', starship.createOrder),
  route('GET', `${STARSHIP_PREFIX}/orders/{id}`, 'getOrder', starship.getOrder),
  route('PUT', '/_sandbox/starship/webhook-target', 'setStarshipWebhookTarget', starshipControls.setWebhookTarget),
  route('GET', '/_sandbox/starship/webhooks', 'listStarshipWebhooks', starshipControls.listWebhooks),
  route('POST', '/_sandbox/starship/orders/{id}/escalate', 'escalateStarshipOrder', starshipControls.escalate),
  route('POST', '/_sandbox/starship/orders/{id}/settle', 'settleStarshipOrder', starshipControls.settle),
  route('POST', '/_sandbox/starship/orders/{id}/cancel', 'cancelStarshipOrder', starshipControls.cancelLate),
];
