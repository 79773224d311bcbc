// The bad-input table shared by the sandbox's tests and its reliability bench: each case breaks one thing and names the
// 4xx it must get.
import { request } from 'node:http';
import { loadSpec } from '../../contract/index.ts';
import { REQUEST_LIMITS } from '../src/limits.ts';
import { services } from './roles.ts';

export interface Targets {
  /** An order of sm_test_full still at its first step: its partner reference, tracking number and first parcel id. */
  ref: string;
  tracking: string;
  parcelId: string;
  token: string;
}

export interface BadInput {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send the body with chunked transfer encoding, without Content-Length. */
  chunked?: boolean;
  status: number;
  /** The field `errors` must name, when the status carries field errors. */
  field?: string;
}

/** The bounds the cases go past, as the spec states them. */
const spec = loadSpec('starmile-partner').components;
const ORDER = spec.schemas.CreateOrderRequest.properties;
const MAX = {
  orderId: ORDER.order_id.maxLength as number,
  govId: ORDER.gov_id.maxLength as number,
  parcels: ORDER.parcels.maxItems as number,
  millimetres: spec.schemas.Millimetres.maximum as number,
  quantity: spec.schemas.Product.properties.quantity.maximum as number,
  limit: spec.parameters.Limit.schema.maximum as number,
  depth: REQUEST_LIMITS.depth,
  body: REQUEST_LIMITS.bodyBytes,
};

const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const json = (value: unknown) => JSON.stringify(value);
const order = (extra: Record<string, unknown> = {}) => ({
  service_id: services.clearance,
  order_id: 'BAD-INPUT-NEVER-STORED',
  parcels: [{}],
  ...extra,
});
const parcel = (extra: Record<string, unknown>) => order({ parcels: [extra] });

/** Every case; none may answer 500 or change anything stored. */
export function badInputCases(t: Targets): BadInput[] {
  const auth = { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' };
  /**
   * The cases of one operation: `name` is prefixed with it, the request goes to `path` with the token as JSON unless
   * `headers` say otherwise.
   */
  const caseOf =
    (operationId: string, method: string, path: string) =>
    (
      name: string,
      body: string | Buffer,
      status: number,
      field?: string,
      headers: Record<string, string> = auth,
    ): BadInput => ({
      name: `${operationId}: ${name}`,
      method,
      path,
      headers,
      body,
      status,
      ...(field === undefined ? {} : { field }),
    });
  const create = caseOf('createOrder', 'POST', '/api/v1/orders');
  const update = caseOf('updateParcel', 'PATCH', `/api/v1/orders/${t.ref}/parcels/${t.parcelId}`);
  const reportEvent = caseOf('reportEvent', 'POST', '/api/v1/partner/events');
  const cancel = caseOf('cancelOrder', 'POST', `/api/v1/orders/${t.ref}/cancel`);
  const event = (name: string, body: unknown, status: number, field?: string) =>
    reportEvent(name, json(body), status, field);
  /** A case sent without a body: a query, or an id that does not exist; `headers` null sends none. */
  const bodiless = (
    name: string,
    method: string,
    path: string,
    status: number,
    field?: string,
    headers: Record<string, string> | null = auth,
  ): BadInput => ({
    name,
    method,
    path,
    ...(headers === null ? {} : { headers }),
    status,
    ...(field === undefined ? {} : { field }),
  });
  const plainText = { ...auth, 'content-type': 'text/plain' };
  const changes = '/api/v1/partner/changes';
  /** JSON without a token: the sandbox controls need none, and the partner API must refuse it before the body. */
  const tokenless = { 'content-type': 'application/json' };
  const advance = caseOf('advanceParcel', 'POST', `/_sandbox/parcels/${t.parcelId}/advance`);
  const mapRegion = caseOf('mapRegion', 'POST', '/_sandbox/region-mappings');
  /** A valid event body, which each event case breaks in one place. */
  const received = {
    event_id: 'bad',
    type: 'parcel.received',
    occurred_at: '2026-11-24T06:40:00Z',
    parcel_id: t.parcelId,
  };
  const big = 'x'.repeat(100_000);
  const emoji = '📦';
  const rtl = '\u202Eطلب\u202C';
  return [
    // Transport: unparseable, wrong media type, oversized.
    create('malformed JSON', `{"service_id": ${services.clearance}, "order_id": `, 400, 'body'),
    create('empty body', '', 400, 'body'),
    create('byte-order mark before the JSON', `\uFEFF${json(order())}`, 400, 'body'),
    create('single quotes', `{'service_id': ${services.clearance}}`, 400, 'body'),
    create('text/plain', json(order()), 415, undefined, plainText),
    create('application/xml', '<order/>', 415, undefined, { ...auth, 'content-type': 'application/xml' }),
    create('no Content-Type', json(order()), 415, undefined, { authorization: auth.authorization }),
    create('form-encoded', `service_id=${services.clearance}&order_id=x`, 415, undefined, {
      ...auth,
      'content-type': 'application/x-www-form-urlencoded',
    }),
    create('twice the body cap', json(order({ notes: 'x'.repeat(2 * MAX.body) })), 413),
    {
      ...create(
        'twice the body cap, chunked (no Content-Length)',
        json(order({ notes: 'x'.repeat(2 * MAX.body) })),
        413,
      ),
      chunked: true,
    },
    create(`1 MiB of nesting (deeper than ${MAX.depth} levels)`, `{"order_id": ${deep(500_000)}}`, 400, 'body'),
    create(`${MAX.depth + 1} levels of nesting`, `{"order_id": ${deep(MAX.depth)}}`, 400, 'body'),
    create(
      `${MAX.depth} levels of nesting (parsed, then refused by the schema)`,
      `{"order_id": ${deep(MAX.depth - 1)}}`,
      422,
      'order_id',
    ),
    // Shape: not an object, wrong types, null where not allowed.
    create('top-level array', json([order()]), 422, 'body'),
    create('top-level string', json('order'), 422, 'body'),
    create('top-level null', 'null', 422, 'body'),
    create('service_id as a string', json(order({ service_id: String(services.clearance) })), 422, 'service_id'),
    create('order_id as a number', json(order({ order_id: 12345 })), 422, 'order_id'),
    create('parcels as an object', json(order({ parcels: { item_id: 'A' } })), 422, 'parcels'),
    create('weight_grams as a string', json(parcel({ weight_grams: '1400' })), 422, 'parcels.0.weight_grams'),
    create(
      'consolidation_required as "yes"',
      json(order({ consolidation_required: 'yes' })),
      422,
      'consolidation_required',
    ),
    create('order_id null', json(order({ order_id: null })), 422, 'order_id'),
    create('parcels null', json(order({ parcels: null })), 422, 'parcels'),
    create('a parcel null', json(order({ parcels: [null] })), 422, 'parcels.0'),
    create('a product null', json(parcel({ products: [null] })), 422, 'parcels.0.products.0'),
    create('shipping_cost null', json(order({ shipping_cost: null })), 422, 'shipping_cost'),
    // Enums and unknown fields.
    create('unknown package_type', json(parcel({ package_type: 'heavy' })), 422, 'parcels.0.package_type'),
    create('package_type in upper case', json(parcel({ package_type: 'FRAGILE' })), 422, 'parcels.0.package_type'),
    create('unknown top-level field', json(order({ priority: 'high' })), 422, 'priority'),
    create('unknown parcel field', json(parcel({ barcode: 'x' })), 422, 'parcels.0.barcode'),
    create(
      'unknown product field',
      json(parcel({ products: [{ name: 'x', colour: 'red' }] })),
      422,
      'parcels.0.products.0.colour',
    ),
    create(
      '__proto__ field',
      `{"service_id":${services.clearance},"order_id":"BAD","parcels":[{}],"__proto__":{"admin":true}}`,
      422,
      '__proto__',
    ),
    create(
      'constructor field in a parcel',
      `{"service_id":${services.clearance},"order_id":"BAD","parcels":[{"constructor":1}]}`,
      422,
      'parcels.0.constructor',
    ),
    create('toString field', json(order({ toString: 'x' })), 422, 'toString'),
    create(
      'stale quick-start shape',
      json({ external_parent_id: 'PO-1', items: [{ merchant_tracking_number: 'T' }] }),
      422,
      'external_parent_id',
    ),
    // Lengths and numbers out of range.
    create('100k-char order_id', json(order({ order_id: big })), 422, 'order_id'),
    create('100k-char customer_name', json(order({ customer_name: big })), 422, 'customer_name'),
    create('100k-char notes', json(order({ notes: big })), 422, 'notes'),
    create('100k-char merchant_tracking', json(parcel({ merchant_tracking: big })), 422, 'parcels.0.merchant_tracking'),
    create(
      `${MAX.orderId + 1} emoji as order_id (code points, not bytes, count)`,
      json(order({ order_id: emoji.repeat(MAX.orderId + 1) })),
      422,
      'order_id',
    ),
    create(
      `${MAX.govId + 1} RTL characters as gov_id`,
      json(order({ gov_id: 'ب'.repeat(MAX.govId + 1) })),
      422,
      'gov_id',
    ),
    create('emoji in customer_email', json(order({ customer_email: `${emoji}@` })), 422, 'customer_email'),
    create(
      'non-ASCII currency',
      json(parcel({ products: [{ name: rtl, currency: 'ÜSD' }] })),
      422,
      'parcels.0.products.0.currency',
    ),
    create('empty order_id', json(order({ order_id: '' })), 422, 'order_id'),
    create(
      `${MAX.parcels + 1} parcels`,
      json(order({ parcels: Array.from({ length: MAX.parcels + 1 }, () => ({})) })),
      422,
      'parcels',
    ),
    create('shipping_cost 1e7', json(order({ shipping_cost: 1e7 })), 422, 'shipping_cost'),
    create('shipping_cost -0.01', json(order({ shipping_cost: -0.01 })), 422, 'shipping_cost'),
    create('weight_grams 0', json(parcel({ weight_grams: 0 })), 422, 'parcels.0.weight_grams'),
    create(
      `length_mm ${MAX.millimetres + 1}`,
      json(parcel({ length_mm: MAX.millimetres + 1 })),
      422,
      'parcels.0.length_mm',
    ),
    create(
      `quantity ${MAX.quantity + 1}`,
      json(parcel({ products: [{ name: 'x', quantity: MAX.quantity + 1 }] })),
      422,
      'parcels.0.products.0.quantity',
    ),
    create('service_id 0', json(order({ service_id: 0 })), 422, 'service_id'),
    create('service_id 1e300', json(order({ service_id: 1e300 })), 422, 'service_id'),
    create('service_id 2^53+1', '{"service_id":9007199254740993,"order_id":"BAD","parcels":[{}]}', 422, 'service_id'),
    create('pudo_id -1', json(order({ service_id: services.pudo, pudo_id: -1 })), 422, 'pudo_id'),
    // The other operations.
    update('malformed JSON', '{"weight_grams": }', 400, 'body'),
    update('unknown field', json({ item_id: 'NEW' }), 422, 'item_id'),
    update('empty object', '{}', 422, 'body'),
    update('100k-char merchant_tracking', json({ merchant_tracking: big }), 422, 'merchant_tracking'),
    update('products null', json({ products: null }), 422, 'products'),
    update('unknown package_type', json({ package_type: 'gas' }), 422, 'package_type'),
    update('text/plain', '{}', 415, undefined, plainText),
    cancel('100k-char reason', json({ reason: big }), 422, 'reason'),
    cancel('reason null', json({ reason: null }), 422, 'reason'),
    cancel('malformed JSON', '{', 400, 'body'),
    cancel('text/plain body', 'please', 415, undefined, plainText),
    event('unknown type', { ...received, type: 'parcel.lost' }, 422, 'type'),
    event('100k-char event_id', { ...received, event_id: big }, 422, 'event_id'),
    event('occurred_at not a date', { ...received, occurred_at: '24/11/2026' }, 422, 'occurred_at'),
    event('data null', { ...received, data: null }, 422, 'data'),
    event('unknown field', { ...received, source: 'x' }, 422, 'source'),
    bodiless('listChanges: 100k-char since', 'GET', `${changes}?since=${'c'.repeat(10_000)}`, 422, 'since'),
    bodiless(`listChanges: limit ${MAX.limit + 1}`, 'GET', `${changes}?limit=${MAX.limit + 1}`, 422, 'limit'),
    bodiless('listChanges: limit twice', 'GET', `${changes}?limit=1&limit=2`, 422, 'limit'),
    // Path ids that do not exist.
    bodiless('getOrder: unknown id', 'GET', '/api/v1/orders/NO-SUCH-ORDER', 404),
    bodiless('getOrder: 10k-char id', 'GET', `/api/v1/orders/${'x'.repeat(10_000)}`, 404),
    bodiless('getOrder: emoji and RTL id', 'GET', `/api/v1/orders/${encodeURIComponent(emoji + rtl)}`, 404),
    bodiless('getOrder: broken percent-encoding', 'GET', '/api/v1/orders/%E0%A4%A', 404),
    caseOf('updateParcel', 'PATCH', `/api/v1/orders/${t.ref}/parcels/NO-SUCH-PARCEL`)(
      'unknown parcel',
      json({ weight_grams: 1 }),
      404,
    ),
    caseOf('updateParcel', 'PATCH', `/api/v1/orders/NO-SUCH-ORDER/parcels/${t.parcelId}`)(
      'unknown order',
      json({ weight_grams: 1 }),
      404,
    ),
    bodiless('cancelOrder: unknown order', 'POST', '/api/v1/orders/NO-SUCH-ORDER/cancel', 404),
    bodiless('advanceParcel: unknown parcel', 'POST', '/_sandbox/parcels/NO-SUCH-PARCEL/advance', 404, undefined, null),
    advance('unknown status', json({ status: 'lost' }), 422, 'status', tokenless),
    mapRegion('malformed JSON', '{"client_id"', 400, 'body', tokenless),
    // Outside the contract.
    bodiless('unknown path', 'GET', '/api/v1/parcels', 404),
    bodiless('method not allowed', 'DELETE', `/api/v1/orders/${t.ref}`, 405),
    // Credentials are checked before the body is looked at.
    create('malformed JSON without a token', '{', 401, undefined, tokenless),
  ];
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** Sends one case with node:http, so the bytes, the headers and the transfer encoding are exactly the case's. */
export function sendRaw(
  baseUrl: string,
  c: Pick<BadInput, 'method' | 'path' | 'headers' | 'body' | 'chunked'>,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const body = c.body === undefined ? undefined : Buffer.isBuffer(c.body) ? c.body : Buffer.from(c.body, 'utf8');
    const headers: Record<string, string | number> = { ...c.headers };
    if (body && !c.chunked) headers['content-length'] = body.length;
    if (body && c.chunked) headers['transfer-encoding'] = 'chunked';
    let answered = false;
    const req = request(`${baseUrl}${c.path}`, { method: c.method, headers, agent: false }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    // The server may answer (413) and close before the whole body is written; that is the point, not an error.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (!body) return void req.end();
    if (!c.chunked) return void req.end(body);
    for (let i = 0; i < body.length; i += 64 * 1024) req.write(body.subarray(i, i + 64 * 1024));
    req.end();
  });
}
