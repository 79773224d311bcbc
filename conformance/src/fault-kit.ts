// What a rule's faults are made of: the faulty proxy's request and answer, a matcher per operation (`at`), and builders
// of plausible server bugs. The sandbox's fixtures come in through useFixtures (the self-test sets them), so rules can
// keep their faults beside them without the suite loading the sandbox.

import type { ApiName } from '../../contract/index.ts';
import type { Fixtures } from '../../contract/sandbox-admin.ts';
import { findOperation } from './contract-check.ts';
import type { StarshipInput } from './profile.ts';
import { sandboxStarship, starshipPrefix } from './sandbox-profile.ts';

export interface ProxyRequest {
  method: string;
  /** Path without the query. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: Buffer;
  /** The body parsed as JSON, when it is JSON; faults may edit it (it is re-serialised when forwarded). */
  json?: any;
}

export interface ProxyResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  json?: any;
}

export interface ProxyContext {
  /** Sends a request to the sandbox as is (json re-serialised when present). */
  upstream(req: ProxyRequest): Promise<ProxyResponse>;
  /** A token of the given client, fetched from the sandbox by the proxy itself. */
  tokenOf(clientId: string): Promise<string>;
  /** Which client a bearer token was issued to (seen in token traffic through the proxy). */
  ownerOf(req: ProxyRequest): string | undefined;
  /** The scopes a bearer token was issued with (seen in token traffic through the proxy). */
  scopesOf(req: ProxyRequest): string[];
  /** Scratch space of the current fault. */
  state: Map<string, any>;
}

export type Fault = (req: ProxyRequest, ctx: ProxyContext) => Promise<ProxyResponse>;

type Credential = Fixtures['credentials'][number];
/**
 * The fixtures of the sandbox behind the proxy, and the roles faults refer to; set by useFixtures before any fault
 * runs.
 */
export let fx: Fixtures;
export let FULL: Credential;
export let OTHER: Credential;
export let OTHER_WAREHOUSE: Credential;
export let HOME: Fixtures['services'][number];
export let PUDO_POINT: Fixtures['pudo_points'][number];
export let MAPPED: Fixtures['region_mappings'][number];
export let SHIP: StarshipInput;

export function useFixtures(fixtures: Fixtures): void {
  fx = fixtures;
  const role = (r: string) => fx.credentials.find((c) => c.role === r)!;
  FULL = role('full');
  OTHER = role('other-partner');
  OTHER_WAREHOUSE = role('other-warehouse');
  HOME = fx.services.find(
    (s) => s.delivery_type === 'home_delivery' && s.org_country_id === FULL.org_country_id && s.consolidation_enabled,
  )!;
  PUDO_POINT = fx.pudo_points.find((p) => p.kind === 'pudo' && p.country === 'AZ')!;
  MAPPED = fx.region_mappings.find((m) => m.partner_id === FULL.partner_id)!;
  SHIP = sandboxStarship('', fx);
}

// ---- building blocks --------------------------------------------------------------------

export type Match = (req: ProxyRequest) => boolean;
export const is =
  (method: string, path: RegExp): Match =>
  (req) =>
    req.method === method && path.test(req.path);
const TOKEN = is('POST', /^\/oauth\/token$/);
const CREATE = is('POST', /^\/api\/v1\/orders$/);
const GET_ORDER = is('GET', /^\/api\/v1\/orders\/[^/]+$/);
const PATCH = is('PATCH', /^\/api\/v1\/orders\/[^/]+\/parcels\/[^/]+$/);
const CANCEL = is('POST', /^\/api\/v1\/orders\/[^/]+\/cancel$/);
const CHANGES = is('GET', /^\/api\/v1\/partner\/changes$/);
const EVENTS = is('POST', /^\/api\/v1\/partner\/events$/);
const SERVICES = is('GET', /^\/api\/v1\/services$/);
const RATES = is('GET', /^\/api\/v1\/rates$/);
export const all =
  (...m: Match[]): Match =>
  (req) =>
    m.every((x) => x(req));

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): ProxyResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: Buffer.alloc(0),
  json: body,
});

/** Edits matching requests (their JSON), then forwards. */
export const request =
  (match: Match, edit: (req: ProxyRequest, ctx: ProxyContext) => void | Promise<void>): Fault =>
  async (req, ctx) => {
    if (match(req)) await edit(req, ctx);
    return ctx.upstream(req);
  };

/** Forwards, then edits matching responses: in place (the edit returns nothing), or by returning a replacement. */
export const response =
  (
    match: Match,
    edit: (
      res: ProxyResponse,
      req: ProxyRequest,
      ctx: ProxyContext,
    ) => ProxyResponse | void | Promise<ProxyResponse | undefined> | Promise<void>,
  ): Fault =>
  async (req, ctx) => {
    const res = await ctx.upstream(req);
    return match(req) ? ((await edit(res, req, ctx)) ?? res) : res;
  };

/** Answers matching requests itself, never reaching the sandbox. */
export const answer =
  (
    match: (req: ProxyRequest, ctx: ProxyContext) => boolean,
    reply: (req: ProxyRequest, ctx: ProxyContext) => ProxyResponse | Promise<ProxyResponse>,
  ): Fault =>
  async (req, ctx) =>
    match(req, ctx) ? reply(req, ctx) : ctx.upstream(req);

/**
 * The server reads matching bodies as JSON.parse does (a repeated key keeps its last value; invalid UTF-8 became U+FFFD
 * when the proxy decoded it): what it acts on is that reading, re-serialised.
 */
export const parsedAsJson =
  (match: Match): Fault =>
  async (req, ctx) =>
    ctx.upstream(match(req) && req.json !== undefined ? { ...req, json: structuredClone(req.json) } : req);

/** The operation ignores scopes: the caller's token is swapped for a full one. */
export const ignoresScope = (match: Match): Fault =>
  request(match, async (req, ctx) => {
    req.headers.authorization = `Bearer ${await ctx.tokenOf(FULL.client_id)}`;
  });

/** The operation ignores the tenant: another client's token is swapped for the full credential's. */
export const ignoresTenant =
  (match: Match, clientId: () => string): Fault =>
  async (req, ctx) => {
    if (match(req) && ctx.ownerOf(req) === clientId())
      req.headers.authorization = `Bearer ${await ctx.tokenOf(FULL.client_id)}`;
    return ctx.upstream(req);
  };

/** A fresh variant of a reference, so the sandbox accepts what a buggy server would have accepted. */
let variant = 0;
export const fresh = (ref: string) => `${ref}~${++variant}`;

/** The order a path names, read from the sandbox with the full credential. */
const orderAt = async (orderRef: string | undefined, ctx: ProxyContext): Promise<ProxyResponse> =>
  ctx.upstream({
    method: 'GET',
    path: `/api/v1/orders/${orderRef}`,
    query: new URLSearchParams(),
    headers: { authorization: `Bearer ${await ctx.tokenOf(FULL.client_id)}` },
    body: Buffer.alloc(0),
  });

/** The parcel a PATCH addressed, read from the sandbox: lets a fault answer 200 where the sandbox refused. */
export async function currentParcel(req: ProxyRequest, ctx: ProxyContext): Promise<ProxyResponse> {
  const [, , , , orderRef, , parcelRef] = req.path.split('/');
  const order = await orderAt(orderRef, ctx);
  const ref = decodeURIComponent(parcelRef ?? '');
  const parcel =
    order.json?.data?.parcels?.find((p: any) => p.item_id === ref || p.parcel_id === ref) ??
    order.json?.data?.parcels?.[0];
  return json(200, { data: parcel });
}

export async function currentOrder(req: ProxyRequest, ctx: ProxyContext): Promise<ProxyResponse> {
  const order = await orderAt(req.path.split('/')[4], ctx);
  return json(200, order.json);
}

/**
 * The operation never answers 409: a refused change is answered with the resource as it stands (`currentOrder`,
 * `currentParcel`).
 */
export const noConflict = (
  match: Match,
  current: (req: ProxyRequest, ctx: ProxyContext) => Promise<ProxyResponse>,
): Fault => response(match, (res, req, ctx) => (res.status === 409 ? current(req, ctx) : undefined));

/** A fault's own memory across requests, made on first use under `key`. */
export function kept<T>(ctx: ProxyContext, key: string, make: () => T): T {
  if (!ctx.state.has(key)) ctx.state.set(key, make());
  return ctx.state.get(key);
}

/** Remembers references of accepted orders, so uniqueness faults know what "already used" means. */
export const remember = (key: string) => (res: ProxyResponse, req: ProxyRequest, ctx: ProxyContext) => {
  if (res.status !== 201) return;
  const seen = kept(ctx, key, () => new Set<string>());
  if (key === 'order_id') seen.add(req.json.order_id);
  for (const p of req.json.parcels ?? []) if (p[key]) seen.add(p[key]);
};
export const seen = (ctx: ProxyContext, key: string): Set<string> => ctx.state.get(key) ?? new Set();

/** Forgets uniqueness of one kind of reference across orders. */
export const noUniqueAcross =
  (key: 'order_id' | 'item_id' | 'merchant_tracking'): Fault =>
  async (req, ctx) => {
    if (CREATE(req) && req.json) {
      if (key === 'order_id' && seen(ctx, key).has(req.json.order_id)) req.json.order_id = fresh(req.json.order_id);
      for (const p of req.json.parcels ?? [])
        if (key !== 'order_id' && seen(ctx, key).has(p[key])) p[key] = fresh(p[key]);
    }
    const res = await ctx.upstream(req);
    if (CREATE(req) && req.json) remember(key)(res, req, ctx);
    return res;
  };

/** Forgets uniqueness of one kind of reference within an order. */
export const noUniqueWithin = (key: 'item_id' | 'merchant_tracking'): Fault =>
  request(CREATE, (req) => {
    const used = new Set<string>();
    for (const p of req.json?.parcels ?? []) {
      if (p[key] && used.has(p[key])) p[key] = fresh(p[key]);
      used.add(p[key]);
    }
  });

// ---- Starship -------------------------------------------------------------------------------

const SS = starshipPrefix();
const SS_CREATE = is('POST', new RegExp(`^${SS}/orders$`));
const SS_GET = is('GET', new RegExp(`^${SS}/orders/[^/]+$`));
const SS_READ: Match = (req) => SS_CREATE(req) || SS_GET(req);
const SS_WEBHOOKS = is('GET', /^\/_sandbox\/starship\/webhooks$/);
const SS_SETTLE = is('POST', /^\/_sandbox\/starship\/orders\/[^/]+\/settle$/);
const SS_CANCEL = is('POST', /^\/_sandbox\/starship\/orders\/[^/]+\/cancel$/);

/** Rewrites Starship orders in matching answers (2xx only) where `when` holds. */
export const shipOrders = (match: Match, when: (o: any) => boolean, edit: (o: any) => void): Fault =>
  response(match, (res) => {
    if (res.status < 300 && res.json && when(res.json)) edit(res.json);
  });
/** The order as a server that holds every unit back would show it: all units PENDING, no voucher. */
export const heldBack = (status: string, subStatus: string) => (o: any) => {
  Object.assign(o, { status, sub_status: subStatus });
  for (const i of o.items) Object.assign(i, { status: 'PENDING', voucher: null });
};
/** A PARTIALLY_DELIVERED order in matching answers shown as still PENDING · PROCESSING, every unit held back. */
export const partialHeldBack = (match: Match): Fault =>
  shipOrders(match, (o) => o.status === 'PARTIALLY_DELIVERED', heldBack('PENDING', 'PROCESSING'));
/** Replaces the `data` list of matching answers with what `edit` makes of it. */
export const mapEntries = (match: Match, edit: (entries: any[]) => any[]): Fault =>
  response(match, (res) => {
    if (res.json?.data) res.json.data = edit(res.json.data);
  });
/** Edits the payloads of the webhook log. */
export const shipWebhooks = (edit: (entries: any[]) => any[]): Fault => mapEntries(SS_WEBHOOKS, edit);
/** Edits each status pool page (200 only). */
export const mapPage = (edit: (page: any) => void): Fault =>
  response(CHANGES, (res) => {
    if (res.status === 200 && res.json) edit(res.json);
  });

/** The operations as matchers, for faults: `at.createOrder(req)`. */
export const at = {
  token: TOKEN,
  createOrder: CREATE,
  getOrder: GET_ORDER,
  updateParcel: PATCH,
  cancelOrder: CANCEL,
  listChanges: CHANGES,
  reportEvent: EVENTS,
  listServices: SERVICES,
  listRates: RATES,
  shipCreate: SS_CREATE,
  shipGet: SS_GET,
  shipRead: SS_READ,
  shipWebhooks: SS_WEBHOOKS,
  shipSettle: SS_SETTLE,
  shipCancel: SS_CANCEL,
};

/** The requests of one operation of `api`, whatever path the profile serves it at. */
function operationIs(api: ApiName, operationId: string): Match {
  const prefix = api === 'starship-rewards' ? SS : '';
  return (req) =>
    req.path.startsWith(prefix) &&
    findOperation(api, req.method, req.path.slice(prefix.length))?.operationId === operationId;
}

/** The fault of an operation's shape rule: its answers gain a field the contract does not define (D9). */
export function addsUndefinedField(api: ApiName, operationId: string): Fault {
  return response(operationIs(api, operationId), (res) => {
    if (res.status < 300 && res.json && typeof res.json === 'object') res.json.internal_code = 'X';
  });
}

/** What a server bug does to one field of an answer: leaves it out, or sends its value as text. */
export type FieldBug = 'missing' | 'text';

/**
 * An operation's 2xx answers break a field, named by its path in the body (`data[].name`: in each entry of `data`), as
 * a server that forgot to serialise it (`missing`) or serialised it as a string (`text`) would send them.
 */
export function breaksField(api: ApiName, operationId: string, path: string, bug: FieldBug = 'missing'): Fault {
  const steps = path.split('.');
  const edit = (node: any, [step, ...rest]: string[]): void => {
    if (!node || typeof node !== 'object' || !step) return;
    const [key, each] = step.endsWith('[]') ? [step.slice(0, -2), true] : [step, false];
    if (!rest.length && !each) {
      if (bug === 'missing') delete node[key];
      else if (key in node) node[key] = String(node[key]);
    } else for (const child of each ? (node[key] ?? []) : [node[key]]) edit(child, rest);
  };
  return response(operationIs(api, operationId), (res) => {
    if (res.status < 300) edit(res.json, steps);
  });
}
