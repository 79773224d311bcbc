// One deliberate fault per rule id, each a plausible server bug, for the self-test that shows every rule can fail.
import { loadFixtures } from '../../../sandbox/src/fixtures.ts';
import { sandboxStarship, starshipPrefix } from '../../src/sandbox-profile.ts';
import { shapeRuleId } from '../../src/shape-rules.ts';
import type { AssertionClass } from '../../registry/types.ts';
import type { Fault, ProxyContext, ProxyRequest, ProxyResponse } from './faulty-proxy.ts';

const fx = loadFixtures();
const role = (r: string) => fx.credentials.find((c) => c.role === r)!;
export const FULL = role('full');
const OTHER = role('other-partner');
const OTHER_WAREHOUSE = role('other-warehouse');
const svc = (pred: (s: (typeof fx.services)[number]) => boolean) => fx.services.find(pred)!;
const HOME = svc((s) => s.delivery_type === 'home_delivery' && s.org_country_id === FULL.org_country_id && s.consolidation_enabled);
const PUDO_POINT = fx.pudo_points.find((p) => p.kind === 'pudo' && p.country === 'AZ')!;
const MAPPED = fx.region_mappings.find((m) => m.partner_id === FULL.partner_id)!;

// ---- building blocks --------------------------------------------------------------------

type Match = (req: ProxyRequest) => boolean;
const is = (method: string, path: RegExp): Match => (req) => req.method === method && path.test(req.path);
const TOKEN = is('POST', /^\/oauth\/token$/);
const CREATE = is('POST', /^\/api\/v1\/orders$/);
const GET_ORDER = is('GET', /^\/api\/v1\/orders\/[^/]+$/);
const PATCH = is('PATCH', /^\/api\/v1\/orders\/[^/]+\/parcels\/[^/]+$/);
const CANCEL = is('POST', /^\/api\/v1\/orders\/[^/]+\/cancel$/);
const CHANGES = is('GET', /^\/api\/v1\/partner\/changes$/);
const EVENTS = is('POST', /^\/api\/v1\/partner\/events$/);
const SERVICES = is('GET', /^\/api\/v1\/services$/);
const RATES = is('GET', /^\/api\/v1\/rates$/);
const all = (...m: Match[]): Match => (req) => m.every((x) => x(req));

const json = (status: number, body: unknown, headers: Record<string, string> = {}): ProxyResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: Buffer.alloc(0),
  json: body,
});

/** Edits matching requests (their JSON), then forwards. */
const request = (match: Match, edit: (req: ProxyRequest, ctx: ProxyContext) => void | Promise<void>): Fault => async (req, ctx) => {
  if (match(req)) await edit(req, ctx);
  return ctx.upstream(req);
};

/** Forwards, then edits matching responses. */
const response = (match: Match, edit: (res: ProxyResponse, req: ProxyRequest, ctx: ProxyContext) => ProxyResponse | void | Promise<ProxyResponse | void>): Fault => async (req, ctx) => {
  const res = await ctx.upstream(req);
  return match(req) ? ((await edit(res, req, ctx)) ?? res) : res;
};

/** Answers matching requests itself, never reaching the sandbox. */
const answer = (match: (req: ProxyRequest, ctx: ProxyContext) => boolean, reply: (req: ProxyRequest, ctx: ProxyContext) => ProxyResponse | Promise<ProxyResponse>): Fault => async (req, ctx) =>
  match(req, ctx) ? reply(req, ctx) : ctx.upstream(req);

/** The operation ignores scopes: the caller's token is swapped for a full one. */
const ignoresScope = (match: Match): Fault => request(match, async (req, ctx) => void (req.headers.authorization = `Bearer ${await ctx.tokenOf(FULL.client_id)}`));

/** The operation ignores the tenant: another client's token is swapped for the full credential's. */
const ignoresTenant = (match: Match, clientId: string): Fault => async (req, ctx) => {
  if (match(req) && ctx.ownerOf(req) === clientId) req.headers.authorization = `Bearer ${await ctx.tokenOf(FULL.client_id)}`;
  return ctx.upstream(req);
};

/** A fresh variant of a reference, so the sandbox accepts what a buggy server would have accepted. */
let variant = 0;
const fresh = (ref: string) => `${ref}~${++variant}`;

/** The parcel a PATCH addressed, read from the sandbox: lets a fault answer 200 where the sandbox refused. */
async function currentParcel(req: ProxyRequest, ctx: ProxyContext): Promise<ProxyResponse> {
  const [, , , , orderRef, , parcelRef] = req.path.split('/');
  const order = await ctx.upstream({ method: 'GET', path: `/api/v1/orders/${orderRef}`, query: new URLSearchParams(), headers: { authorization: `Bearer ${await ctx.tokenOf(FULL.client_id)}` }, body: Buffer.alloc(0) });
  const ref = decodeURIComponent(parcelRef ?? '');
  const parcel = order.json?.data?.parcels?.find((p: any) => p.item_id === ref || p.parcel_id === ref) ?? order.json?.data?.parcels?.[0];
  return json(200, { data: parcel });
}

async function currentOrder(req: ProxyRequest, ctx: ProxyContext): Promise<ProxyResponse> {
  const orderRef = req.path.split('/')[4];
  const order = await ctx.upstream({ method: 'GET', path: `/api/v1/orders/${orderRef}`, query: new URLSearchParams(), headers: { authorization: `Bearer ${await ctx.tokenOf(FULL.client_id)}` }, body: Buffer.alloc(0) });
  return json(200, order.json);
}

/** Remembers references of accepted orders, so uniqueness faults know what "already used" means. */
const remember = (key: string) => (res: ProxyResponse, req: ProxyRequest, ctx: ProxyContext) => {
  if (res.status !== 201) return;
  const seen: Set<string> = ctx.state.get(key) ?? new Set();
  ctx.state.set(key, seen);
  if (key === 'order_id') seen.add(req.json.order_id);
  for (const p of req.json.parcels ?? []) if (p[key]) seen.add(p[key]);
};
const seen = (ctx: ProxyContext, key: string): Set<string> => ctx.state.get(key) ?? new Set();

/** Forgets uniqueness of one kind of reference across orders. */
const noUniqueAcross = (key: 'order_id' | 'item_id' | 'merchant_tracking'): Fault => async (req, ctx) => {
  if (CREATE(req) && req.json) {
    if (key === 'order_id' && seen(ctx, key).has(req.json.order_id)) req.json.order_id = fresh(req.json.order_id);
    for (const p of req.json.parcels ?? []) if (key !== 'order_id' && seen(ctx, key).has(p[key])) p[key] = fresh(p[key]);
  }
  const res = await ctx.upstream(req);
  if (CREATE(req) && req.json) remember(key)(res, req, ctx);
  return res;
};

/** Forgets uniqueness of one kind of reference within an order. */
const noUniqueWithin = (key: 'item_id' | 'merchant_tracking'): Fault =>
  request(CREATE, (req) => {
    const used = new Set<string>();
    for (const p of req.json?.parcels ?? []) {
      if (p[key] && used.has(p[key])) p[key] = fresh(p[key]);
      used.add(p[key]);
    }
  });

// ---- Starship -------------------------------------------------------------------------------

const SHIP = sandboxStarship('', fx);
const SS = starshipPrefix();
const SS_CREATE = is('POST', new RegExp(`^${SS}/orders$`));
const SS_GET = is('GET', new RegExp(`^${SS}/orders/[^/]+$`));
const SS_READ: Match = (req) => SS_CREATE(req) || SS_GET(req);
const SS_WEBHOOKS = is('GET', /^\/_sandbox\/starship\/webhooks$/);
const SS_SETTLE = is('POST', /^\/_sandbox\/starship\/orders\/[^/]+\/settle$/);
const SS_CANCEL = is('POST', /^\/_sandbox\/starship\/orders\/[^/]+\/cancel$/);

/** Rewrites Starship orders in matching answers (2xx only) where `when` holds. */
const shipOrders = (match: Match, when: (o: any) => boolean, edit: (o: any) => void): Fault =>
  response(match, (res) => void (res.status < 300 && res.json && when(res.json) && edit(res.json)));
/** The order as a server that holds every unit back would show it: all units PENDING, no voucher. */
const heldBack = (status: string, subStatus: string) => (o: any) => {
  Object.assign(o, { status, sub_status: subStatus });
  o.items.forEach((i: any) => Object.assign(i, { status: 'PENDING', voucher: null }));
};
/** Edits the payloads of the webhook log. */
const shipWebhooks = (edit: (entries: any[]) => any[]): Fault => response(SS_WEBHOOKS, (res) => void (res.json?.data && (res.json.data = edit(res.json.data))));

const mapEntries = (match: Match, edit: (entries: any[]) => any[]): Fault => response(match, (res) => void (res.json?.data && (res.json.data = edit(res.json.data))));
/** Edits each status pool page (200 only). */
const mapPage = (edit: (page: any) => void): Fault => response(CHANGES, (res) => void (res.status === 200 && res.json && edit(res.json)));

// ---- one fault per rule -------------------------------------------------------------------

export const faults: Record<string, Fault> = {
  'TOKEN-ISSUE': response(TOKEN, (res) => void delete res.headers['cache-control']),
  // Credentials in the body win; the Basic header is silently ignored.
  'TOKEN-TWO-AUTH-METHODS': request(TOKEN, (req) => {
    const inBody = req.json?.client_id ?? new URLSearchParams(req.body.toString('utf8')).get('client_id');
    if (inBody && /^Basic /.test(req.headers.authorization ?? '')) delete req.headers.authorization;
  }),
  'TOKEN-CLIENT-AUTH-METHODS': answer((r) => TOKEN(r) && (r.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'), () => json(415, { error: 'invalid_request', error_description: 'JSON only.' })),
  'TOKEN-INVALID-CLIENT': request(TOKEN, (req) => {
    if (req.json?.client_secret?.endsWith('-wrong')) req.json.client_secret = req.json.client_secret.slice(0, -'-wrong'.length);
    if (req.json && !fx.credentials.some((c) => c.client_id === req.json.client_id)) Object.assign(req.json, { client_id: FULL.client_id, client_secret: FULL.client_secret });
  }),
  'TOKEN-UNSUPPORTED-GRANT': request(TOKEN, (req) => void (req.json && (req.json.grant_type = 'client_credentials'))),
  'TOKEN-SCOPE-NARROWING': request(TOKEN, (req) => void (req.json && delete req.json.scope)),
  'TOKEN-INVALID-SCOPE': request(TOKEN, (req) => void (req.json && delete req.json.scope)),
  'TOKEN-MEDIA-TYPE': request(TOKEN, (req) => void ((req.headers['content-type'] ?? '').startsWith('text/plain') && (req.headers['content-type'] = 'application/x-www-form-urlencoded'))),
  'AUTH-MISSING-TOKEN': response((r) => r.path.startsWith('/api/'), (res) => void (res.status === 401 && delete res.headers['www-authenticate'])),
  'AUTH-INVALID-TOKEN': response((r) => r.path.startsWith('/api/'), (res) => void (res.status === 401 && (res.headers['www-authenticate'] = 'Bearer realm="starmile"'))),
  'AUTH-EXPIRED-TOKEN': answer((r) => r.path === '/_sandbox/tokens/expire', () => json(200, { data: { expired: 0 } })),
  'SCOPE-LIST-SERVICES': ignoresScope(SERVICES),
  'SCOPE-LIST-RATES': ignoresScope(RATES),
  'SCOPE-CREATE-ORDER': ignoresScope(CREATE),
  'SCOPE-GET-ORDER': ignoresScope(GET_ORDER),
  'SCOPE-UPDATE-PARCEL': ignoresScope(PATCH),
  'SCOPE-CANCEL-ORDER': ignoresScope(CANCEL),
  'SCOPE-LIST-CHANGES': ignoresScope(CHANGES),
  'SCOPE-REPORT-EVENT': ignoresScope(EVENTS),
  'TENANT-GET-ORDER': ignoresTenant(GET_ORDER, OTHER.client_id),
  'TENANT-UPDATE-PARCEL': ignoresTenant(PATCH, OTHER.client_id),
  'TENANT-CANCEL-ORDER': ignoresTenant(CANCEL, OTHER.client_id),
  'TENANT-FEED': ignoresTenant(CHANGES, OTHER.client_id),
  'TENANT-EVENT': ignoresTenant(EVENTS, OTHER.client_id),
  'TENANT-REFERENCES': async (req, ctx) => {
    if (CREATE(req) && ctx.ownerOf(req) === OTHER.client_id && seen(ctx, 'order_id').has(req.json?.order_id))
      return json(422, { message: 'The order_id has already been used.', errors: { order_id: ['The order_id has already been used.'] } });
    const res = await ctx.upstream(req);
    if (CREATE(req) && req.json) remember('order_id')(res, req, ctx);
    return res;
  },
  'TENANT-WAREHOUSE-FEED': ignoresTenant(CHANGES, OTHER_WAREHOUSE.client_id),
  'SERVICES-WAREHOUSE': response(SERVICES, (res) => void res.json?.data.push(...fx.services.filter((s) => s.org_country_id !== FULL.org_country_id).map(({ ...s }) => s))),
  'SERVICES-DELIVERY-TYPE': response(SERVICES, (res) => void res.json?.data.forEach((s: any) => s.delivery_type === 'pudo' && (s.delivery_type = 'locker'))),
  'SERVICES-ACTIVE-RATE': response(SERVICES, (res, _req, ctx) => {
    if (ctx.ownerOf(_req) !== FULL.client_id) return;
    const listed = new Set(res.json.data.map((s: any) => s.id));
    res.json.data.push(...fx.services.filter((s) => s.org_country_id === FULL.org_country_id && !listed.has(s.id)));
  }),
  'RATES-PARTNER': response(RATES, (res) => void (res.json && (res.json.data = fx.rates))),
  'ORD-CREATE': response(CREATE, (res) => void (res.status === 201 && (res.json.data.external_parent_id = res.json.data.order_id))),
  'ORD-READ-BACK': answer((r) => GET_ORDER(r) && !/^SM\d+$/.test(r.path.split('/')[4] ?? ''), () => json(404, { message: 'No such order.' })),
  'ORD-NOT-FOUND': response(GET_ORDER, (res) => (res.status === 404 ? json(403, { message: 'Forbidden.' }, { 'www-authenticate': 'Bearer realm="starmile", error="insufficient_scope", scope="status:read"' }) : undefined)),
  'ORD-TRACKING-UNIQUE': response(CREATE, (res) => void (res.status === 201 && res.json.data.items.length > 1 && (res.json.data.items[1].parcel_id = res.json.data.items[0].parcel_id))),
  'ORD-ITEM-ID-ECHO': response(GET_ORDER, (res) => void res.json?.data?.parcels?.forEach((p: any) => (p.partner_tracking = null))),
  'ORD-MERCHANT-AUTOFILL': request(CREATE, (req) => void req.json?.parcels?.forEach((p: any) => p.merchant_tracking ?? (p.merchant_tracking = fresh('AUTO')))),
  'ORD-SHIPPING-COST': response(GET_ORDER, (res) => void (res.json?.data && res.json.data.shipping_cost === null && (res.json.data.shipping_cost = 0))),
  // The server reads service_id as a flow id (000's glossary): a Service's own id names no flow.
  'ORD-SERVICE-ID': request(CREATE, (req) => {
    if (typeof req.json?.service_id !== 'number') return;
    const byFlow = fx.services.find((s) => s.flow_definition_id === req.json.service_id && s.org_country_id === FULL.org_country_id);
    req.json.service_id = byFlow?.id ?? 999_999_999;
  }),
  // An omitted quantity is stored as no value instead of 1.
  'ORD-DEFAULTS': async (req, ctx) => {
    const omitted: Set<string> = ctx.state.get('omitted') ?? new Set();
    ctx.state.set('omitted', omitted);
    if (CREATE(req)) for (const p of req.json?.parcels ?? []) if (p.products?.some((x: any) => x.quantity === undefined)) omitted.add(p.item_id);
    const res = await ctx.upstream(req);
    if (GET_ORDER(req)) for (const p of res.json?.data?.parcels ?? []) if (omitted.has(p.item_id)) for (const x of p.products) if (x.quantity === 1) x.quantity = null;
    return res;
  },
  // updated_at is written once, at creation.
  'ORD-TIMESTAMPS': async (req, ctx) => {
    const first: Map<string, string> = ctx.state.get('first') ?? new Map();
    ctx.state.set('first', first);
    const res = await ctx.upstream(req);
    const freeze = (o: any, key: string) => {
      if (!o?.updated_at) return;
      if (!first.has(key)) first.set(key, o.updated_at);
      o.updated_at = first.get(key);
    };
    if (GET_ORDER(req) && res.json?.data) {
      freeze(res.json.data, res.json.data.order_id);
      for (const p of res.json.data.parcels) freeze(p, p.parcel_id);
    }
    if (PATCH(req) && res.json?.data) freeze(res.json.data, res.json.data.parcel_id);
    return res;
  },
  'ORD-CONSOLIDATION': request(CREATE, (req) => void (req.json && delete req.json.consolidation_required)),
  'ORD-422-SERVICE-UNKNOWN': request(CREATE, (req) => void (req.json?.service_id === 999_999_999 && (req.json.service_id = HOME.id))),
  'ORD-422-SERVICE-UNRATED': request(CREATE, (req) => void (req.json?.service_id === svc((s) => s.flow_definition_id === 17).id && (req.json.service_id = HOME.id))),
  'ORD-422-SERVICE-OTHER-WAREHOUSE': request(CREATE, (req) => void (fx.services.some((s) => s.id === req.json?.service_id && s.org_country_id !== FULL.org_country_id) && (req.json.service_id = HOME.id))),
  'ORD-422-REGION-MISSING': request(CREATE, (req) => {
    if (req.json?.service_id !== HOME.id) return;
    req.json.parent_region ??= MAPPED.parent_region;
    req.json.region ??= MAPPED.region;
  }),
  'ORD-422-PUDO-MISSING': request(CREATE, (req) => {
    const type = fx.services.find((s) => s.id === req.json?.service_id)?.delivery_type;
    if ((type === 'pudo' || type === 'locker') && req.json.pudo_id === undefined) req.json.pudo_id = fx.pudo_points.find((p) => p.kind === type)!.pudo_id;
  }),
  'ORD-422-PUDO-UNKNOWN': request(CREATE, (req) => void (req.json?.pudo_id === 999_999_999 && (req.json.pudo_id = PUDO_POINT.pudo_id))),
  'ORD-422-PUDO-COUNTRY': request(CREATE, (req) => void (fx.pudo_points.some((p) => p.pudo_id === req.json?.pudo_id && p.country !== 'AZ') && (req.json.pudo_id = PUDO_POINT.pudo_id))),
  'ORD-422-DESTINATION-MISPLACED': request(CREATE, (req) => {
    const type = fx.services.find((s) => s.id === req.json?.service_id)?.delivery_type;
    if (type !== 'pudo' && type !== 'locker') delete req.json?.pudo_id;
    if (type !== 'home_delivery' && req.json) delete req.json.parent_region, delete req.json.region;
  }),
  'ORD-422-UNKNOWN-FIELD': request(CREATE, (req) => {
    for (const k of ['partner_id', 'external_parent_id', 'items']) delete req.json?.[k];
    for (const p of req.json?.parcels ?? []) delete p.merchant_traking;
  }),
  'ORD-422-FIELD-LIMITS': request(CREATE, (req) => void (typeof req.json?.notes === 'string' && (req.json.notes = req.json.notes.slice(0, 1000)))),
  'ORD-422-REQUIRED': request(CREATE, (req) => void req.json?.parcels?.forEach((p: any) => p.products?.forEach((x: any) => (x.name ??= 'Unnamed')))),
  'ORD-REJECTED-NOTHING-STORED': async (req, ctx) => {
    const rejected: Set<string> = ctx.state.get('rejected') ?? new Set();
    ctx.state.set('rejected', rejected);
    if (CREATE(req) && rejected.has(req.json?.order_id)) return json(422, { message: 'The order_id has already been used.', errors: { order_id: ['The order_id has already been used.'] } });
    const res = await ctx.upstream(req);
    if (CREATE(req) && res.status === 422 && req.json?.order_id) rejected.add(req.json.order_id);
    return res;
  },
  'UNIQ-ORDER-ID': noUniqueAcross('order_id'),
  'UNIQ-ITEM-ID-ACROSS': noUniqueAcross('item_id'),
  'UNIQ-MERCHANT-ACROSS': noUniqueAcross('merchant_tracking'),
  'UNIQ-ITEM-ID-WITHIN': noUniqueWithin('item_id'),
  'UNIQ-MERCHANT-WITHIN': noUniqueWithin('merchant_tracking'),
  'UNIQ-CANCELLED': async (req, ctx) => {
    const freed: Set<string> = ctx.state.get('freed') ?? new Set();
    ctx.state.set('freed', freed);
    if (CREATE(req) && req.json) {
      if (freed.has(req.json.order_id)) req.json.order_id = fresh(req.json.order_id);
      for (const p of req.json.parcels ?? []) for (const k of ['item_id', 'merchant_tracking']) if (freed.has(p[k])) p[k] = fresh(p[k]);
    }
    const res = await ctx.upstream(req);
    if (CANCEL(req) && res.status === 200) {
      freed.add(res.json.data.external_parent_id);
      for (const p of res.json.data.parcels) [p.item_id, p.merchant_tracking].forEach((r: string | null) => r && freed.add(r));
    }
    return res;
  },
  'UNIQ-AUTOFILLED': request(CREATE, (req) => void req.json?.parcels?.forEach((p: any) => /^SP\d+$/.test(p.merchant_tracking ?? '') && (p.merchant_tracking = fresh(p.merchant_tracking)))),
  'UNIQ-CONCURRENT': async (req, ctx) => {
    // A check-then-insert race: references of creates still in flight are not seen as used.
    const inFlight: Set<string> = ctx.state.get('inFlight') ?? new Set();
    ctx.state.set('inFlight', inFlight);
    if (!CREATE(req) || !req.json) return ctx.upstream(req);
    if (inFlight.has(req.json.order_id)) req.json.order_id = fresh(req.json.order_id);
    for (const p of req.json.parcels ?? []) if (inFlight.has(`item:${p.item_id}`)) p.item_id = fresh(p.item_id);
    const keys = [req.json.order_id, ...(req.json.parcels ?? []).map((p: any) => `item:${p.item_id}`)];
    keys.forEach((k) => inFlight.add(k));
    await new Promise((r) => setTimeout(r, 20));
    try {
      return await ctx.upstream(req);
    } finally {
      keys.forEach((k) => inFlight.delete(k));
    }
  },
  'UNIQ-UPDATE': request(PATCH, (req) => void (req.json?.merchant_tracking && (req.json.merchant_tracking = fresh(req.json.merchant_tracking)))),
  'UNIQ-NAMESPACES': async (req, ctx) => {
    if (CREATE(req) && req.json?.parcels?.some((p: any) => seen(ctx, 'merchant_tracking').has(p.item_id)))
      return json(422, { message: 'The item_id has already been used.', errors: { 'parcels.0.item_id': ['The item_id has already been used.'] } });
    const res = await ctx.upstream(req);
    if (CREATE(req) && req.json) remember('merchant_tracking')(res, req, ctx);
    return res;
  },
  'REGION-MAPPED': response((r) => CREATE(r) || GET_ORDER(r), (res) => void (res.json?.data?.region_status === 'mapped' && (res.json.data.region_status = 'pending_mapping'))),
  'REGION-PENDING': answer((r) => CREATE(r) && r.json?.parent_region === fx.unmapped_region_example.parent_region, () => json(422, { message: 'Unknown region.', errors: { region: ['The region is not mapped.'] } })),
  'REGION-RESOLVES': answer((r) => r.path === '/_sandbox/region-mappings', (r) => json(201, { data: { ...r.json, orders: [] } })),
  'REGION-NOT-APPLICABLE': response(CREATE, (res) => void (res.json?.data?.region_status === 'not_applicable' && (res.json.data.region_status = 'mapped'))),
  'REGION-PARENT-DISAMBIGUATES': request(CREATE, (req) => {
    const leafOnly = fx.region_mappings.find((m) => m.partner_id === FULL.partner_id && m.region === req.json?.region);
    if (leafOnly && !fx.region_mappings.some((m) => m.parent_region === req.json.parent_region && m.region === req.json.region)) req.json.parent_region = leafOnly.parent_region;
  }),
  'REGION-PER-PARTNER': async (req, ctx) => {
    const res = await ctx.upstream(req);
    if (req.path === '/_sandbox/region-mappings' && res.status === 201)
      await ctx.upstream({ ...req, json: { ...req.json, client_id: OTHER.client_id } });
    return res;
  },
  'UPD-PARTIAL': request(PATCH, (req) => void (req.json && req.json.weight_grams === undefined && !Object.keys(req.json).every((k) => k === 'products') && (req.json.weight_grams = 1))),
  'UPD-PRODUCTS-REPLACE': request(PATCH, (req) => void (Array.isArray(req.json?.products) && req.json.products.length && req.json.products.push({ ...req.json.products[0] }))),
  'UPD-ADDRESSING': answer((r) => PATCH(r) && /^SP\d+$/.test(r.path.split('/')[6] ?? ''), () => json(404, { message: 'No such parcel.' })),
  'UPD-409-PAST-FIRST-STEP': async (req, ctx) => {
    const res = await ctx.upstream(req);
    return PATCH(req) && res.status === 409 ? currentParcel(req, ctx) : res;
  },
  'UPD-409-CANCELLED': async (req, ctx) => {
    const res = await ctx.upstream(req);
    return PATCH(req) && res.status === 409 ? currentParcel(req, ctx) : res;
  },
  'UPD-422-INVALID': async (req, ctx) => {
    const res = await ctx.upstream(req);
    return PATCH(req) && res.status === 422 ? currentParcel(req, ctx) : res;
  },
  'UPD-NOT-FOUND': response(PATCH, (res) => (res.status === 404 ? json(422, { message: 'The given data was invalid.', errors: { item_id: ['Unknown parcel.'] } }) : undefined)),
  'CAN-CANCEL': response((r) => CANCEL(r) || GET_ORDER(r), (res) => void (res.json?.data?.status === 'cancelled' && (res.json.data.cancellation_reason = null))),
  'CAN-IDEMPOTENT': async (req, ctx) => {
    const done: Set<string> = ctx.state.get('cancelled') ?? new Set();
    ctx.state.set('cancelled', done);
    const ref = decodeURIComponent(req.path.split('/')[4] ?? '');
    if (CANCEL(req) && done.has(ref)) return json(409, { message: 'The order is already cancelled.' });
    const res = await ctx.upstream(req);
    if (CANCEL(req) && res.status === 200) [res.json.data.order_id, res.json.data.external_parent_id].forEach((r: string) => done.add(r));
    return res;
  },
  'CAN-409-PAST-FIRST-STEP': async (req, ctx) => {
    const res = await ctx.upstream(req);
    return CANCEL(req) && res.status === 409 ? currentOrder(req, ctx) : res;
  },
  'CAN-422-INVALID': request(CANCEL, (req) => {
    if (typeof req.json?.reason === 'string') req.json.reason = req.json.reason.slice(0, 1000);
    if (req.json) for (const k of Object.keys(req.json)) if (k !== 'reason') delete req.json[k];
  }),
  'CAN-BODY-OPTIONAL': answer((r) => CANCEL(r) && !r.body.length, () => json(415, { message: 'Send the body as application/json.' })),
  'LIFECYCLE-SCENARIO': response(GET_ORDER, (res) => void (res.json?.data?.status === 'in_progress' && (res.json.data.status = 'created'))),
  'FEED-CREATED': mapEntries(CHANGES, (es) => es.map((e) => (e.type === 'created' ? { ...e, external_parent_id: e.tracking_number } : e))),
  'FEED-STATUS-CHANGED': mapEntries(CHANGES, (es) => es.filter((e) => e.type !== 'status_changed')),
  'FEED-CANCELLED': mapEntries(CHANGES, (es) => es.filter((e) => e.type !== 'cancelled')),
  'FEED-RESUME': async (req, ctx) => {
    // Off by one: a page resumed from a cursor repeats the entry the cursor points at.
    const last: Map<string, unknown> = ctx.state.get('last') ?? new Map();
    ctx.state.set('last', last);
    const res = await ctx.upstream(req);
    if (!CHANGES(req) || res.status !== 200) return res;
    const since = req.query.get('since');
    const repeated = since ? last.get(since) : undefined;
    const tail = res.json.data.at(-1);
    if (tail) last.set(res.json.next_cursor, tail);
    else if (repeated) last.set(res.json.next_cursor, repeated);
    if (repeated) res.json.data = [repeated, ...res.json.data];
    return res;
  },
  // has_more is computed from the page, not the feed: a full page never says more follow.
  'FEED-PAGING': mapPage((page) => void (page.has_more = false)),
  'FEED-422-CURSOR': async (req, ctx) => {
    const res = await ctx.upstream(req);
    if (!CHANGES(req) || res.status !== 422 || !req.query.has('since')) return res;
    const q = new URLSearchParams(req.query);
    q.delete('since');
    return ctx.upstream({ ...req, query: q });
  },
  'FEED-422-LIMIT': request(CHANGES, (req) => {
    const n = Number(req.query.get('limit'));
    if (req.query.has('limit') && !(n >= 1 && n <= 1000)) req.query.set('limit', '100');
  }),
  'EVT-ACCEPTED': answer((r) => EVENTS(r) && r.json?.type === 'parcel.received', (r) =>
    json(202, { data: { event_id: r.json.event_id, type: r.json.type, duplicate: false, parcels: [{ parcel_id: r.json.parcel_id, status: 'received' }] } }),
  ),
  'EVT-ORDER-LEVEL': response(EVENTS, (res, req) => void (req.json?.tracking_number && res.status === 202 && (res.json.data.parcels = res.json.data.parcels.slice(0, 1)))),
  'EVT-NO-MOVE': async (req, ctx) => {
    const res = await ctx.upstream(req);
    if (EVENTS(req) && req.json?.type === 'parcel.measured' && res.status === 202)
      await ctx.upstream({ method: 'POST', path: `/_sandbox/parcels/${req.json.parcel_id}/advance`, query: new URLSearchParams(), headers: { 'content-type': 'application/json' }, body: Buffer.alloc(0), json: { status: 'received' } });
    return res;
  },
  'EVT-DUPLICATE': response(EVENTS, (res) => (res.status === 200 ? json(409, { message: 'The event_id was already used.' }) : undefined)),
  'EVT-ID-CONFLICT': response(EVENTS, (res, req) => (res.status === 409 && /different body/.test(res.json?.message ?? '') ? json(200, { data: { event_id: req.json.event_id, type: req.json.type, duplicate: true, parcels: [] } }) : undefined)),
  'EVT-422-INVALID': request(EVENTS, (req) => {
    if (!req.json) return;
    for (const k of Object.keys(req.json)) if (!['event_id', 'type', 'occurred_at', 'tracking_number', 'parcel_id', 'data'].includes(k)) delete req.json[k];
  }),
  'EVT-422-UNKNOWN-PACKAGE': response(EVENTS, (res, req) =>
    res.status === 422 && (res.json?.errors?.parcel_id || res.json?.errors?.tracking_number) ? json(202, { data: { event_id: req.json.event_id, type: req.json.type, duplicate: false, parcels: [] } }) : undefined,
  ),
  'EVT-409-CANCELLED': response(EVENTS, (res, req) => (res.status === 409 && /cancelled/.test(res.json?.message ?? '') ? json(202, { data: { event_id: req.json.event_id, type: req.json.type, duplicate: false, parcels: [] } }) : undefined)),
  'EVT-409-DELIVERED': response(EVENTS, (res, req) => (res.status === 409 && /delivered/.test(res.json?.message ?? '') ? json(202, { data: { event_id: req.json.event_id, type: req.json.type, duplicate: false, parcels: [] } }) : undefined)),
  'EVT-BLOCKS-UPDATE': async (req, ctx) => {
    const res = await ctx.upstream(req);
    return PATCH(req) && res.status === 409 ? currentParcel(req, ctx) : res;
  },
  'HTTP-400-MALFORMED': response((r) => CREATE(r) || EVENTS(r), (res) => void (res.status === 400 && (res.status = 422))),
  'HTTP-415-MEDIA-TYPE': request(CREATE, (req) => {
    if (!(req.headers['content-type'] ?? '').startsWith('text/plain')) return;
    req.headers['content-type'] = 'application/json';
    req.json = JSON.parse(req.body.toString('utf8'));
  }),
  'HTTP-413-TOO-LARGE': request(CREATE, (req) => void (req.json && req.body.length > 1024 * 1024 && delete req.json.notes)),
  // Answered as text: the documented "JSON" broken (the envelope), whatever the body.
  'GEN-RESPONSE-CONTRACT': response(SERVICES, (res) => ({ status: res.status, headers: { 'content-type': 'text/plain' }, body: Buffer.from('services: see the console') })),
  // Each operation's answers gain a field the contract does not define (D9).
  ...Object.fromEntries(
    ([['createToken', TOKEN], ['listServices', SERVICES], ['listRates', RATES], ['createOrder', CREATE], ['getOrder', GET_ORDER], ['updateParcel', PATCH], ['cancelOrder', CANCEL], ['listChanges', CHANGES], ['reportEvent', EVENTS]] as const).map(
      ([op, match]) => [shapeRuleId(op), response(match, (res) => void (res.status < 300 && res.json && (res.json.internal_code = 'X')))],
    ),
  ),
  'SHIP-SHAPE-CREATE-ORDER': shipOrders(SS_CREATE, () => true, (o) => (o.internal_code = 'X')),
  'SHIP-SHAPE-GET-ORDER': shipOrders(SS_GET, () => true, (o) => (o.internal_code = 'X')),
  // Starship: each a bug a Starship implementation could plausibly ship.
  'SHIP-PATH-INSTANT': shipOrders(SS_CREATE, (o) => o.status === 'DELIVERED', (o) => (o.sub_status = 'INVENTORY_FULFILLED')),
  'SHIP-PATH-PENDING-DELIVERED': shipOrders(SS_GET, (o) => o.sku === SHIP.products.pending && o.status === 'DELIVERED', heldBack('PENDING', 'VENDOR_VOUCHER_FETCHED')),
  'SHIP-PATH-PENDING-CANCELLED': shipOrders(SS_GET, (o) => o.sku === SHIP.products.pending && o.status === 'CANCELLED', heldBack('PENDING', 'VENDOR_ORDER_FAILED')),
  'SHIP-PATH-PARTIAL': shipOrders(SS_READ, (o) => o.status === 'PARTIALLY_DELIVERED', heldBack('PENDING', 'PROCESSING')),
  'SHIP-PATH-PARTIAL-DELIVERED': request(SS_SETTLE, (req) => void (req.json?.outcome === 'fulfilled' && (req.json.outcome = 'refunded'))),
  'SHIP-PATH-PARTIAL-CANCELLED': shipOrders(SS_GET, (o) => o.sku === SHIP.products.partial.sku && o.status === 'CANCELLED', (o) =>
    o.items.forEach((i: any) => Object.assign(i, { status: 'CANCELLED', voucher: null })),
  ),
  'SHIP-LATE-CANCEL-REFUNDED': request(SS_CANCEL, (req) => void (req.json?.refund === 'succeeds' && (req.json.refund = 'fails'))),
  'SHIP-LATE-CANCEL-NOT-REFUNDED': request(SS_CANCEL, (req) => void (req.json?.refund === 'fails' && (req.json.refund = 'succeeds'))),
  'SHIP-BULK-LIMIT': request(SS_CREATE, (req) => void (req.json?.quantity === SHIP.bulkCap && (req.json.quantity = SHIP.bulkCap + 1))),
  'SHIP-PAIRS-ALLOWED': shipOrders(SS_GET, (o) => o.status === 'DELIVERED' && o.sub_status === 'COMPLETED', (o) => (o.sub_status = 'PARTIAL')),
  'SHIP-TRANSITIONS-READS': shipOrders(SS_GET, (o) => o.status === 'PARTIALLY_DELIVERED', heldBack('PENDING', 'PROCESSING')),
  'SHIP-TRANSITIONS-WEBHOOKS': shipWebhooks((entries) => [...entries].reverse()),
  'SHIP-VOUCHERS': shipOrders(SS_READ, (o) => o.status === 'DELIVERED', (o) => (o.items[0].voucher = null)),
  'SHIP-WEBHOOK-PAYLOADS': shipWebhooks((entries) => entries.map((e) => ({ ...e, payload: { ...e.payload, occurred_at: undefined } }))),
  'SHIP-WEBHOOK-FIRED': shipWebhooks((entries) => entries.filter((e) => e.type !== 'order.pending')),
  // status_changed_at is set when the order is placed and never again.
  'SHIP-TIMESTAMPS': shipOrders(SS_READ, () => true, (o) => (o.status_changed_at = o.created_at)),
  'SHIP-SUB-STATUS-OPEN': shipWebhooks((entries) =>
    entries.map((e, i) =>
      i > 0 && i === entries.length - 1
        ? { ...e, payload: { ...e.payload, order: { ...e.payload.order, updated_at: new Date(Date.parse(e.payload.order.created_at) - 60_000).toISOString() } } }
        : e,
    ),
  ),
};

export const faultCredentials = fx.credentials.map((c) => ({ clientId: c.client_id, secret: c.client_secret }));

/** A fault beyond a rule's first, for a bug the sharper checks catch: the rule must fail it at MUST level in `class`. */
export interface SharperFault {
  rule: string;
  bug: string;
  class: AssertionClass;
  fault: Fault;
}

export const sharperFaults: SharperFault[] = [
  {
    rule: 'SCOPE-CANCEL-ORDER',
    bug: 'orders:update opens cancelOrder (the server checks "may change orders")',
    class: 'contract',
    fault: async (req, ctx) => {
      const held = ctx.scopesOf(req);
      if (CANCEL(req) && held.includes('orders:update') && !held.includes('orders:cancel')) req.headers.authorization = `Bearer ${await ctx.tokenOf(FULL.client_id)}`;
      return ctx.upstream(req);
    },
  },
  {
    rule: 'TENANT-FEED',
    bug: "a join leaks another partner's parcel into the feed under the reader's own tracking number",
    class: 'documented',
    fault: async (req, ctx) => {
      const res = await ctx.upstream(req);
      if (!CHANGES(req) || res.status !== 200 || ctx.ownerOf(req) !== OTHER.client_id) return res;
      // The newest entry of the other partner's feed: its pages walked to the end.
      let leaked: any;
      for (let since: string | undefined, more = true; more; ) {
        const page = await ctx.upstream({ method: 'GET', path: '/api/v1/partner/changes', query: new URLSearchParams({ limit: '1000', ...(since ? { since } : {}) }), headers: { authorization: `Bearer ${await ctx.tokenOf(FULL.client_id)}` }, body: Buffer.alloc(0) });
        leaked = page.json?.data?.at(-1) ?? leaked;
        [since, more] = [page.json?.next_cursor, page.json?.has_more === true];
      }
      if (leaked) res.json.data.push({ ...leaked, id: `${leaked.id}-leak`, tracking_number: 'SM-OTHER', external_parent_id: 'other-order' });
      return res;
    },
  },
  {
    rule: 'ORD-422-FIELD-LIMITS',
    bug: 'a shipping cost a fraction over 1,000,000 is rounded down into range (a DECIMAL(10,0) column)',
    class: 'documented',
    fault: request(CREATE, (req) => void (req.json?.shipping_cost > 1_000_000 && req.json.shipping_cost < 1_000_001 && (req.json.shipping_cost = 1_000_000))),
  },
  {
    rule: 'ORD-422-FIELD-LIMITS',
    bug: 'an order_id of exactly 255 characters is refused (an off-by-one "< 255")',
    class: 'documented',
    fault: answer((r) => CREATE(r) && r.json?.order_id?.length === 255, () => json(422, { message: 'The given data was invalid.', errors: { order_id: ['Too long.'] } })),
  },
  {
    rule: 'UPD-422-INVALID',
    bug: 'an update truncates an over-long hs_code instead of refusing it',
    class: 'documented',
    fault: request(PATCH, (req) => req.json?.products?.forEach((p: any) => typeof p.hs_code === 'string' && (p.hs_code = p.hs_code.slice(0, 32)))),
  },
  {
    rule: 'FEED-PAGING',
    bug: 'without limit, the whole feed comes in one page',
    class: 'contract',
    fault: request(CHANGES, (req) => void (!req.query.has('limit') && req.query.set('limit', '1000'))),
  },
];
