// The route table: every operation of the three specs (Starship under its prefix) and its handler; its method, path and
// scopes are the spec's.

import * as adminApi from '../../contract/sandbox-admin.ts';
import type { RateList, ServiceList } from '../../contract/starmile-partner.ts';
import * as partnerApi from '../../contract/starmile-partner.ts';
import * as starshipApi from '../../contract/starship-rewards.ts';
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

export interface Route {
  method: string;
  template: string;
  operationId: string;
  pattern: RegExp;
  handler: Handler;
}

/**
 * An operation as the spec states it (contract/<api>.ts `operationFacts`): its method, its path, the scopes it needs.
 */
interface Facts {
  readonly method: string;
  readonly path: string;
  readonly scopes: readonly partnerApi.Scope[];
}

/**
 * Authenticates with the scopes the operation's `security` requires before the handler runs, so 401/403 come before any
 * look at the body (X6, D6).
 */
const partner =
  (facts: Facts, handler: PartnerHandler): Handler =>
  (ctx: Ctx) =>
    handler(ctx, authenticate(ctx.req, ctx.state, facts.scopes));

/** A route where the spec puts the operation (under `prefix` for an API the sandbox serves below its root). */
const route = (facts: Facts, operationId: string, handler: Handler, prefix = ''): Route => {
  const template = `${prefix}${facts.path}`;
  return {
    method: facts.method,
    template,
    operationId,
    // Path parameters match one non-empty segment; they are decoded by the router.
    pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '([^/]+)')}$`),
    handler,
  };
};

const api = <Id extends partnerApi.OperationId>(id: Id, handler: PartnerHandler) =>
  route(partnerApi.operationFacts[id], id, partner(partnerApi.operationFacts[id], handler));
const operator = <Id extends adminApi.OperationId>(id: Id, handler: Handler) =>
  route(adminApi.operationFacts[id], id, handler);
const ship = <Id extends starshipApi.OperationId>(id: Id, handler: Handler) =>
  route(starshipApi.operationFacts[id], id, handler, STARSHIP_PREFIX);

export const routes: Route[] = [
  route(partnerApi.operationFacts.createToken, 'createToken', (ctx) => createToken(ctx.req, ctx.state)),
  api('listServices', (ctx, c) => ({
    status: 200,
    body: { data: listServices(ctx.state.fixtures, c) } satisfies ServiceList,
  })),
  api('listRates', (ctx, c) => ({ status: 200, body: { data: listRates(ctx.state.fixtures, c) } satisfies RateList })),
  api('createOrder', createOrder),
  api('getOrder', getOrder),
  api('updateParcel', updateParcel),
  api('cancelOrder', cancelOrder),
  api('listChanges', listChanges),
  api('reportEvent', reportEvent),
  operator('mapRegion', admin.mapRegion),
  operator('advanceParcel', admin.advanceParcel),
  operator('expireTokens', admin.expireTokens),
  operator('getFixtures', admin.getFixtures),
  operator('preloadOrders', preloadOrders),
  ship('createOrder', starship.createOrder),
  ship('getOrder', starship.getOrder),
  operator('setStarshipWebhookTarget', starshipControls.setWebhookTarget),
  operator('listStarshipWebhooks', starshipControls.listWebhooks),
  operator('escalateStarshipOrder', starshipControls.escalate),
  operator('settleStarshipOrder', starshipControls.settle),
  operator('cancelStarshipOrder', starshipControls.cancelLate),
];
