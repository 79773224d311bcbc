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
  const event = (name: string, body: unknown, status: number, field?: string) =>
    reportEvent(name, json(body), status, field);
  const big = 'x'.repeat(100_000);
  const emoji = '📦';
  const rtl = '\u202Eطلب\u202C';
  return [
    // Transport: unparseable, wrong media type, oversized.
    create('malformed JSON', `{"service_id": ${services.clearance}, "order_id": `, 400, 'body'),
    create('empty body', '', 400, 'body'),
    create('byte-order mark before the JSON', `\uFEFF${json(order())}`, 400, 'body'),
    create('single quotes', `{'service_id': ${services.clearance}}`, 400, 'body'),
    create('text/plain', json(order()), 415, undefined, { ...auth, 'content-type': 'text/plain' }),
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
    create('length_mm 10001', json(parcel({ length_mm: 10001 })), 422, 'parcels.0.length_mm'),
    create(
      'quantity 100001',
      json(parcel({ products: [{ name: 'x', quantity: 100001 }] })),
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
    {
      name: 'updateParcel: text/plain',
      method: 'PATCH',
      path: `/api/v1/orders/${t.ref}/parcels/${t.parcelId}`,
      headers: { ...auth, 'content-type': 'text/plain' },
      body: '{}',
      status: 415,
    },
    {
      name: 'cancelOrder: 100k-char reason',
      method: 'POST',
      path: `/api/v1/orders/${t.ref}/cancel`,
      headers: auth,
      body: json({ reason: big }),
      status: 422,
      field: 'reason',
    },
    {
      name: 'cancelOrder: reason null',
      method: 'POST',
      path: `/api/v1/orders/${t.ref}/cancel`,
      headers: auth,
      body: json({ reason: null }),
      status: 422,
      field: 'reason',
    },
    {
      name: 'cancelOrder: malformed JSON',
      method: 'POST',
      path: `/api/v1/orders/${t.ref}/cancel`,
      headers: auth,
      body: '{',
      status: 400,
      field: 'body',
    },
    {
      name: 'cancelOrder: text/plain body',
      method: 'POST',
      path: `/api/v1/orders/${t.ref}/cancel`,
      headers: { ...auth, 'content-type': 'text/plain' },
      body: 'please',
      status: 415,
    },
    event(
      'unknown type',
      { event_id: 'bad', type: 'parcel.lost', occurred_at: '2026-11-24T06:40:00Z', parcel_id: t.parcelId },
      422,
      'type',
    ),
    event(
      '100k-char event_id',
      { event_id: big, type: 'parcel.received', occurred_at: '2026-11-24T06:40:00Z', parcel_id: t.parcelId },
      422,
      'event_id',
    ),
    event(
      'occurred_at not a date',
      { event_id: 'bad', type: 'parcel.received', occurred_at: '24/11/2026', parcel_id: t.parcelId },
      422,
      'occurred_at',
    ),
    event(
      'data null',
      {
        event_id: 'bad',
        type: 'parcel.received',
        occurred_at: '2026-11-24T06:40:00Z',
        parcel_id: t.parcelId,
        data: null,
      },
      422,
      'data',
    ),
    event(
      'unknown field',
      {
        event_id: 'bad',
        type: 'parcel.received',
        occurred_at: '2026-11-24T06:40:00Z',
        parcel_id: t.parcelId,
        source: 'x',
      },
      422,
      'source',
    ),
    {
      name: 'listChanges: 100k-char since',
      method: 'GET',
      path: `/api/v1/partner/changes?since=${'c'.repeat(10_000)}`,
      headers: auth,
      status: 422,
      field: 'since',
    },
    {
      name: `listChanges: limit ${MAX.limit + 1}`,
      method: 'GET',
      path: `/api/v1/partner/changes?limit=${MAX.limit + 1}`,
      headers: auth,
      status: 422,
      field: 'limit',
    },
    {
      name: 'listChanges: limit twice',
      method: 'GET',
      path: '/api/v1/partner/changes?limit=1&limit=2',
      headers: auth,
      status: 422,
      field: 'limit',
    },
    // Path ids that do not exist.
    { name: 'getOrder: unknown id', method: 'GET', path: '/api/v1/orders/NO-SUCH-ORDER', headers: auth, status: 404 },
    {
      name: 'getOrder: 10k-char id',
      method: 'GET',
      path: `/api/v1/orders/${'x'.repeat(10_000)}`,
      headers: auth,
      status: 404,
    },
    {
      name: 'getOrder: emoji and RTL id',
      method: 'GET',
      path: `/api/v1/orders/${encodeURIComponent(emoji + rtl)}`,
      headers: auth,
      status: 404,
    },
    {
      name: 'getOrder: broken percent-encoding',
      method: 'GET',
      path: '/api/v1/orders/%E0%A4%A',
      headers: auth,
      status: 404,
    },
    {
      name: 'updateParcel: unknown parcel',
      method: 'PATCH',
      path: `/api/v1/orders/${t.ref}/parcels/NO-SUCH-PARCEL`,
      headers: auth,
      body: json({ weight_grams: 1 }),
      status: 404,
    },
    {
      name: 'updateParcel: unknown order',
      method: 'PATCH',
      path: `/api/v1/orders/NO-SUCH-ORDER/parcels/${t.parcelId}`,
      headers: auth,
      body: json({ weight_grams: 1 }),
      status: 404,
    },
    {
      name: 'cancelOrder: unknown order',
      method: 'POST',
      path: '/api/v1/orders/NO-SUCH-ORDER/cancel',
      headers: auth,
      status: 404,
    },
    {
      name: 'advanceParcel: unknown parcel',
      method: 'POST',
      path: '/_sandbox/parcels/NO-SUCH-PARCEL/advance',
      status: 404,
    },
    {
      name: 'advanceParcel: unknown status',
      method: 'POST',
      path: `/_sandbox/parcels/${t.parcelId}/advance`,
      headers: { 'content-type': 'application/json' },
      body: json({ status: 'lost' }),
      status: 422,
      field: 'status',
    },
    {
      name: 'mapRegion: malformed JSON',
      method: 'POST',
      path: '/_sandbox/region-mappings',
      headers: { 'content-type': 'application/json' },
      body: '{"client_id"',
      status: 400,
      field: 'body',
    },
    // Outside the contract.
    { name: 'unknown path', method: 'GET', path: '/api/v1/parcels', headers: auth, status: 404 },
    { name: 'method not allowed', method: 'DELETE', path: `/api/v1/orders/${t.ref}`, headers: auth, status: 405 },
    // Credentials are checked before the body is looked at.
    {
      name: 'createOrder: malformed JSON without a token',
      method: 'POST',
      path: '/api/v1/orders',
      headers: { 'content-type': 'application/json' },
      body: '{',
      status: 401,
    },
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
