// Starmile helpers for the checks: valid bodies to break one thing at a time, the calls, assertions that keep the
// exchange, and the status pool.
import { loadSpec } from '../../../contract/index.ts';
import type {
  Change,
  ChangeList,
  CreateOrderRequest,
  CreateOrderResponse,
  DeliveryType,
  Error as ErrorBody,
  EventAcceptedResponse,
  NewParcel,
  Order,
  OrderResponse,
  ParcelResponse,
  Product,
  Service,
  ServiceList,
} from '../../../contract/starmile-partner.ts';
import type { DesignedPart, RuleContext, Who } from '../../src/context.ts';
import { Blocked } from '../../src/define.ts';
import { expect } from '../../src/expect.ts';
import type { Res } from '../../src/http.ts';
import { thousands } from '../../src/numbers.ts';
import { ERRORS_NAME_FIELD, REJECTED_422 } from './designed.ts';
import { pageLimit } from './spec.ts';

/** Runs assertions about one response; a failure carries that exchange into the report. */
export function on<T>(res: Res<T>, assertions: (body: T) => void): void {
  try {
    assertions(res.body);
  } catch (error) {
    if (error && typeof error === 'object' && !('exchange' in error)) Object.assign(error, { exchange: res.exchange });
    throw error;
  }
}

/** An answer's body read as the documented error body; any field may be missing, the server being under test. */
export const asError = (res: Res) => res as Res<Partial<ErrorBody> | undefined>;

export function expectStatus(res: Res, status: number, what = ''): void {
  on(res, () =>
    expect(
      res.status,
      `${what ? `${what}: ` : ''}${res.exchange.method} ${new URL(res.exchange.url).pathname} status`,
    ).toBe(status),
  );
}

/** The `errors` map of an error body names a field (exact path or pattern): designed (D6), so in the contract class. */
export function expectFieldNamed(t: RuleContext, res: Res, field: string | RegExp, what = ''): void {
  t.designed(ERRORS_NAME_FIELD, () =>
    on(asError(res), (body) => {
      const named = Object.keys(body?.errors ?? {});
      const ok = typeof field === 'string' ? named.includes(field) : named.some((n) => field.test(n));
      expect(
        ok,
        `${what ? `${what}: ` : ''}expected errors to name ${String(field)}; they name ${named.join(', ') || 'nothing'}`,
      ).toBe(true);
    }),
  );
}

/**
 * An error answer whose status the rule's source states (a 422 for a missing destination, a 409 past the first step):
 * that status, and the field `errors` names (designed).
 */
export function expectError(t: RuleContext, res: Res, status: number, field?: string | RegExp, what = ''): void {
  expectStatus(res, status, what);
  if (field !== undefined) expectFieldNamed(t, res, field, what);
}

/**
 * A refusal the documents state without its status (a documented limit, "all optional" bodies): any 4xx in the rule's
 * class; exactly `status` and the field named are designed.
 */
export function expectRejected(t: RuleContext, res: Res, status: number, field?: string | RegExp, what = ''): void {
  on(res, () =>
    expect(
      res.status >= 400 && res.status < 500,
      `${what ? `${what}: ` : ''}${res.exchange.method} ${new URL(res.exchange.url).pathname}: expected a refusal (a 4xx), got ${res.status}`,
    ).toBe(true),
  );
  t.designed(status === 422 ? REJECTED_422 : { ...REJECTED_422, designed: `Answered ${status}.` }, () =>
    expectStatus(res, status, what),
  );
  if (field !== undefined) expectFieldNamed(t, res, field, what);
}

// ---- the error body, as the spec states it ------------------------------------------------

const errorSchema = () =>
  loadSpec('starmile-partner').components.schemas.Error as {
    description: string;
    properties: { errors: { description: string; maxProperties: number } };
  };
const prose = (text: string) => text.replace(/\s+/g, ' ');

/** The field path an error body uses for the body as a whole (the Error schema says which). */
export function wholeBody(): string {
  const name = /`(\w+)` for the body as a whole/.exec(prose(errorSchema().description))?.[1];
  if (!name) throw new Error('the Error schema no longer says which field path stands for the body as a whole');
  return name;
}

/**
 * X14: how many fields an error body lists at most (`maxProperties`), and the sentence its message ends with when more
 * are at fault (quoted in the description).
 */
export function errorListBound(): { max: number; more: string } {
  const errors = errorSchema().properties.errors;
  const more = [...prose(errors.description).matchAll(/"([^"]+)"/g)]
    .map((m) => m[1]!)
    .find((q) => q.includes(String(errors.maxProperties)));
  if (!more)
    throw new Error(
      `the Error schema's errors no longer quote the sentence saying that only the first ${errors.maxProperties} fields are listed`,
    );
  return { max: errors.maxProperties, more };
}

/** The WWW-Authenticate challenge of a 401/403. */
export const challenge = (res: Res): string => res.headers.get('www-authenticate') ?? '';

// ---- bodies -------------------------------------------------------------------------------

export const product = (over: Partial<Product> = {}): Product => ({
  name: 'Sneakers',
  hs_code: '640411',
  declared_value: 120,
  currency: 'USD',
  quantity: 1,
  weight_grams: 900,
  ...over,
});

export function parcel(t: RuleContext, over: Partial<NewParcel> = {}): NewParcel {
  return {
    item_id: t.ref('i'),
    merchant_tracking: t.ref('m'),
    package_type: 'fragile',
    weight_grams: 1400,
    length_mm: 300,
    width_mm: 200,
    height_mm: 100,
    products: [product()],
    ...over,
  };
}

/** A valid home delivery order to the profile's mapped pair. */
export function homeOrder(t: RuleContext, over: Partial<CreateOrderRequest> = {}): CreateOrderRequest {
  const f = t.fixtures;
  return {
    service_id: f.services.homeDelivery,
    order_id: t.ref('o'),
    customer_name: 'Aysel M.',
    customer_phone: '+994500000000',
    parent_region: f.regions.mapped.parentRegion,
    region: f.regions.mapped.region,
    address_first: 'Nizami 10',
    zip: 'AZ1000',
    shipping_cost: 9.5,
    parcels: [parcel(t)],
    ...over,
  };
}

/** A valid order without a home destination for a service of the given delivery type. */
export function orderOfType(
  t: RuleContext,
  type: DeliveryType,
  serviceId?: number,
  over: Partial<CreateOrderRequest> = {},
): CreateOrderRequest {
  const f = t.fixtures;
  const { parent_region: _p, region: _r, address_first: _a, ...base } = homeOrder(t);
  const byType: Record<DeliveryType, () => CreateOrderRequest> = {
    home_delivery: () => homeOrder(t, { service_id: serviceId ?? f.services.homeDelivery }),
    pudo: () => ({ ...base, service_id: serviceId ?? f.services.pudo, pudo_id: f.pudoPoints.valid }),
    locker: () => ({ ...base, service_id: serviceId ?? f.services.locker, pudo_id: f.pudoPoints.locker }),
    clearance: () => ({ ...base, service_id: serviceId ?? f.services.clearance }),
    cross_docking: () => ({ ...base, service_id: serviceId ?? f.services.crossDocking }),
  };
  return { ...byType[type](), ...over };
}

/**
 * The field of a listed Service that the server takes as service_id (the profile's serviceIdCarries): its own id (D1)
 * or its flow_definition_id.
 */
export const serviceKey =
  (t: RuleContext) =>
  (s: Service): number =>
    s[t.profile.serviceIdCarries];

/** The delivery type of a profile service, from the profile or else from listServices. */
export async function deliveryTypeOf(t: RuleContext, serviceId: number): Promise<DeliveryType> {
  const s = t.fixtures.services;
  const known: [number, DeliveryType][] = [
    [s.homeDelivery, 'home_delivery'],
    [s.pudo, 'pudo'],
    [s.locker, 'locker'],
    [s.clearance, 'clearance'],
    [s.crossDocking, 'cross_docking'],
  ];
  const hit = known.find(([id]) => id === serviceId);
  if (hit) return hit[1];
  const res = await t.request<ServiceList>({ path: '/api/v1/services' });
  expectStatus(res, 200);
  const service = res.body.data.find((x) => serviceKey(t)(x) === serviceId);
  if (!service)
    throw Object.assign(new Error(`service ${serviceId} of the profile is not listed`), { exchange: res.exchange });
  return service.delivery_type;
}

// ---- calls --------------------------------------------------------------------------------

export const createOrder = (t: RuleContext, body: unknown, as: Who = 'full') =>
  t.request<CreateOrderResponse>({ path: '/api/v1/orders', json: body, as });

export const getOrder = (t: RuleContext, id: string, as: Who = 'full') =>
  t.request<OrderResponse>({ path: `/api/v1/orders/${encodeURIComponent(id)}`, as });

export const updateParcel = (t: RuleContext, orderId: string, itemId: string, body: unknown, as: Who = 'full') =>
  t.request<ParcelResponse>({
    method: 'PATCH',
    path: `/api/v1/orders/${encodeURIComponent(orderId)}/parcels/${encodeURIComponent(itemId)}`,
    json: body,
    as,
  });

/** `body: null` sends no body at all. */
export const cancelOrder = (
  t: RuleContext,
  orderId: string,
  body: unknown = { reason: 'conformance suite' },
  as: Who = 'full',
) =>
  t.request<OrderResponse>({
    method: 'POST',
    path: `/api/v1/orders/${encodeURIComponent(orderId)}/cancel`,
    ...(body === null ? {} : { json: body }),
    as,
  });

export const reportEvent = (t: RuleContext, event: unknown, as: Who = 'full') =>
  t.request<EventAcceptedResponse>({ path: '/api/v1/partner/events', json: event, as });

/**
 * Cancels an order the check created without `created()` once the rule ends; anything but 200 or 409 is a cleanup
 * failure.
 */
export function cancelAfter(t: RuleContext, tracking: string, as: Who = 'full'): void {
  t.defer(`cancel order ${tracking}`, async () => {
    const c = await cancelOrder(t, tracking, { reason: 'conformance suite cleanup' }, as);
    if (c.status !== 200 && c.status !== 409)
      throw Object.assign(new Error(`cleanup cancel of ${tracking} answered ${c.status}`), { exchange: c.exchange });
  });
}

export interface Created {
  orderId: string;
  tracking: string;
  body: CreateOrderRequest;
  parcels: { item_id: string | null; parcel_id: string }[];
  as: Who;
  /** Set once the check cancelled it (or moved it past the first step), so cleanup leaves it. */
  settled: boolean;
}

/** Creates an order that must be accepted (201), and cancels it after the rule unless it was settled. */
export async function created(t: RuleContext, body: CreateOrderRequest, as: Who = 'full'): Promise<Created> {
  const res = await createOrder(t, body, as);
  if (res.status !== 201 || !Array.isArray(res.body?.data?.items))
    throw new Blocked('ORD-CREATE', `could not create order ${body.order_id} to work on: ${res.status}`, res.exchange);
  const order: Created = {
    orderId: body.order_id,
    tracking: res.body.data.order_id,
    body,
    parcels: res.body.data.items,
    as,
    settled: false,
  };
  t.defer(`cancel order ${order.orderId}`, async () => {
    if (order.settled) return;
    const c = await cancelOrder(t, order.tracking, { reason: 'conformance suite cleanup' }, as);
    // A parcel moved past the first step cannot be cancelled (409): expected, not a cleanup failure.
    if (c.status !== 200 && c.status !== 409)
      throw Object.assign(new Error(`cleanup cancel of ${order.orderId} answered ${c.status}`), {
        exchange: c.exchange,
      });
  });
  if (order.parcels.length !== body.parcels.length)
    throw new Blocked(
      'ORD-CREATE',
      `the 201 of ${body.order_id} lists ${order.parcels.length} items for ${body.parcels.length} parcels`,
      res.exchange,
    );
  return order;
}

export async function readOrder(t: RuleContext, id: string, as: Who = 'full'): Promise<Order> {
  const res = await getOrder(t, id, as);
  if (res.status !== 200 || !res.body?.data)
    throw new Blocked('ORD-READ-BACK', `could not read order ${id} back: ${res.status}`, res.exchange);
  return res.body.data;
}

/** The first parcel of an order read back still carries the merchant_tracking it was created with. */
export async function expectStickerKept(t: RuleContext, order: Created, what: string): Promise<void> {
  expect((await readOrder(t, order.tracking)).parcels[0]!.merchant_tracking, what).toBe(
    order.body.parcels[0]!.merchant_tracking,
  );
}

export async function cancelled(t: RuleContext, order: Created, body?: unknown): Promise<Res<OrderResponse>> {
  const res = await cancelOrder(t, order.tracking, body, order.as);
  if (res.status < 200 || res.status > 299)
    throw new Blocked('CAN-CANCEL', `could not cancel order ${order.orderId}: ${res.status}`, res.exchange);
  order.settled = true;
  return res;
}

/** Moves a parcel through the operator hook (the rule is not verified without it). */
export async function advance(t: RuleContext, order: Created, parcelId: string, status = 'received'): Promise<void> {
  await t.hook('advanceParcel', { parcel_id: parcelId, status });
  order.settled = true;
}

/**
 * An event of a type with a new event_id, now, naming its package (a parcel or an order) and carrying `data` when
 * given.
 */
const event = <N extends { parcel_id: string } | { tracking_number: string }>(
  t: RuleContext,
  type: string,
  names: N,
  data?: unknown,
) => ({
  event_id: t.ref('e'),
  type,
  occurred_at: new Date().toISOString(),
  ...names,
  ...(data === undefined ? {} : { data }),
});

export const parcelEvent = (t: RuleContext, type: string, parcelId: string, data?: unknown) =>
  event(t, type, { parcel_id: parcelId }, data);
export const orderEvent = (t: RuleContext, type: string, tracking: string, data?: unknown) =>
  event(t, type, { tracking_number: tracking }, data);

// ---- the status pool ----------------------------------------------------------------------

export interface FeedRead {
  /** The entries the read kept (see `keep`), oldest first. */
  entries: Change[];
  cursor: string;
  pages: number;
  /** Every entry the read went through, kept or not. */
  seen: number;
}

const MAX_PAGES = 10_000;

type Page = ChangeList;

/** Runs assertions in the rule's class, or in the contract class when they rest on a designed part. */
export const judgedIn = (t: RuleContext, part: DesignedPart | undefined, assertions: () => void): void =>
  part ? t.designed(part, assertions) : assertions();

/**
 * One page of the status pool; anything but a 200 with a list blocks the rule (FEED-CREATED is the rule about reading
 * it).
 */
async function page(t: RuleContext, since: string | undefined, as: Who, limit: number | undefined): Promise<Res<Page>> {
  const res = await t.request<Page>({ path: '/api/v1/partner/changes', query: { since, limit }, as });
  if (res.status !== 200 || !Array.isArray(res.body?.data))
    throw new Blocked('FEED-CREATED', `could not read the status pool: ${res.status}`, res.exchange);
  return res;
}

/**
 * Reads every page from a cursor (or the oldest entry) until has_more is false, keeping only the entries `keep` accepts,
 * so a read across a long history costs requests, never memory. Pages of the most `limit` allows only when the profile says the server takes
 * `limit` (a designed parameter); otherwise `since` alone and the server's own page size.
 */
export async function readFeed(
  t: RuleContext,
  since: string | undefined,
  as: Who = 'full',
  keep: (e: Change) => boolean = () => true,
  limit?: number,
): Promise<FeedRead> {
  const entries: Change[] = [];
  let cursor = since;
  let seen = 0;
  const pageSize = limit ?? (t.profile.feed.takesLimit ? pageLimit().maximum : undefined);
  for (let pages = 1; pages <= MAX_PAGES; pages++) {
    const { body } = await page(t, cursor, as, pageSize);
    seen += body.data.length;
    for (const e of body.data) if (keep(e)) entries.push(e);
    cursor = body.next_cursor;
    if (!body.has_more) return { entries, cursor, pages, seen };
  }
  throw new Error(`the status pool still had more after ${MAX_PAGES} pages`);
}

let now: string | undefined;
/**
 * The value of `since` that starts a read at the feed's current end (X10, Partner API 2.0.0): the known branch of the
 * spec's open enum.
 */
export const sinceNow = (): string =>
  (now ??= (loadSpec('starmile-partner').components.schemas.ChangesSince.anyOf as { enum?: string[] }[]).find(
    (b) => b.enum,
  )!.enum![0]!);

const none = () => false;

/** Per run, what each credential's walk to the end of its feed cost, said in one warning. */
const walked = new WeakMap<object, Map<string, string>>();

/**
 * Where a credential's first mark of the run starts: `since=now` (one request, whatever the history), or, on a server
 * that refuses it (a Partner API 1.0 server answers the documented 422 naming since), a walk from the oldest entry,
 * done once per credential and run, keeping no entry, and reported as a warning with what it cost.
 */
async function feedStart(t: RuleContext, as: Who): Promise<{ cursor: string; fromNow: boolean }> {
  const client = t.credential(as).clientId;
  const started = performance.now();
  const now = await t.request<Page>({ path: '/api/v1/partner/changes', query: { since: sinceNow() }, as });
  const refused = now.status === 422 || now.status === 400;
  if (now.status === 200 && Array.isArray(now.body?.data) && !now.body.data.length && !now.body.has_more)
    return { cursor: now.body.next_cursor, fromNow: true };
  if (!refused && (now.status !== 200 || !Array.isArray(now.body?.data)))
    throw new Blocked('FEED-CREATED', `could not read the status pool: ${now.status}`, now.exchange);
  // Refused: walk from the oldest entry. Answered with entries: the server read "now" as something else; read to the
  // end.
  const walk = refused ? await readFeed(t, undefined, as, none) : await readFeed(t, now.body.next_cursor, as, none);
  const pages = walk.pages + (refused ? 0 : 1);
  const entries = walk.seen + (refused ? 0 : now.body.data.length);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const why = refused
    ? `refuses since=${sinceNow()} (${now.status}${(now.body as { errors?: Record<string, unknown> } | undefined)?.errors?.since ? ' naming since' : ''}: a Partner API 1.0 server, decision X10)`
    : `answers since=${sinceNow()} with entries instead of an empty page at the feed's end (decision X10)`;
  const walks = walked.get(t.run) ?? new Map<string, string>();
  walked.set(t.run, walks);
  walks.set(
    client,
    `${client}: ${thousands(entries)} ${entries === 1 ? 'entry' : 'entries'} in ${thousands(pages)} ${pages === 1 ? 'page' : 'pages'}, ${seconds} s`,
  );
  t.warn(
    'feed-start',
    `The status pool ${why}, so the suite read each credential's feed from its oldest entry to find its end (${[...walks.values()].join('; ')}). This cost grows with the server's history; with since=${sinceNow()} (Partner API 2.0.0) it is one request per read.`,
  );
  return { cursor: walk.cursor, fromNow: false };
}

/**
 * A cursor at the current end of a credential's feed: changes made after it returns are read from it. On a server that
 * answers `since=now`, one request; otherwise the first mark of the run walks the feed once (see feedStart) and later
 * marks read on from the end the previous read of that credential reached.
 */
export async function mark(t: RuleContext, as: Who = 'full'): Promise<string> {
  const client = t.credential(as).clientId;
  const start = await t.once(`feed-start ${client}`, () => feedStart(t, as));
  if (start.fromNow) {
    const now = await page(t, sinceNow(), as, undefined);
    return now.body.next_cursor;
  }
  const read = await readFeed(t, t.run.latestCursors.get(client) ?? start.cursor, as, none);
  t.run.latestCursors.set(client, read.cursor);
  return read.cursor;
}

/**
 * Entries about the given orders (by tracking number) after a cursor, polled until `done` holds or the profile's feed
 * timeout passes.
 */
export async function feedOf(
  t: RuleContext,
  since: string,
  trackings: string[],
  done: (entries: Change[]) => boolean = () => true,
  as: Who = 'full',
): Promise<Change[]> {
  const deadline = performance.now() + t.profile.timing.feedTimeoutMs;
  const mine = (e: Change) => trackings.includes(e.tracking_number);
  for (;;) {
    const { entries } = await readFeed(t, since, as, mine);
    if (done(entries) || performance.now() >= deadline) return entries;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const count = (entries: Change[], type: string, parcelId?: string) =>
  entries.filter((e) => e.type === type && (parcelId === undefined || e.parcel.parcel_id === parcelId)).length;

/** Polls until every parcel of the order has `n` entries of `type`. */
export const eachParcelHas =
  (order: Created, type: string, n = 1) =>
  (entries: Change[]) =>
    order.parcels.every((p) => count(entries, type, p.parcel_id) >= n);

export const describeFeed = (entries: Change[]) =>
  entries.map((e) => `${e.type}:${e.parcel.parcel_id}:${e.status}`).join(', ') || '(none)';
