// The hostile requests of the worst-case bench: each one as large or as awkward as the 1 MiB body cap allows, aimed at
// every endpoint.
import { MAX_BODY_BYTES } from '../src/http.ts';
import { CLEARANCE } from './fixtures.ts';

export interface Attack {
  name: string;
  method: string;
  /** Path, with `{order}` and `{parcel}` standing for an order reference and a parcel id of the target. */
  path: string;
  headers?: Record<string, string>;
  /** Starmile bearer token, Starship API key, or none. */
  auth?: 'starmile' | 'starship';
  body?: string;
}

const CAP = MAX_BODY_BYTES - 64;
const JSON_TYPE = { 'content-type': 'application/json' };
/** The start of a createOrder body for an orderable service, up to its parcels' opening bracket. */
const ORDER_HEAD = `{"service_id":${CLEARANCE},"order_id":"A","parcels":[`;
/** A whole createOrder body for an orderable service. */
const order = (parcels: unknown[], orderId = 'A') =>
  JSON.stringify({ service_id: CLEARANCE, order_id: orderId, parcels });

/** `prefix` + as many `unit(i)` joined by `sep` as fit under the cap + `suffix`. */
function fill(prefix: string, unit: (i: number) => string, sep: string, suffix: string): string {
  const parts: string[] = [];
  let size = prefix.length + suffix.length;
  for (let i = 0; ; i++) {
    const next = unit(i);
    if (size + next.length + sep.length > CAP) break;
    parts.push(next);
    size += next.length + sep.length;
  }
  return `${prefix}${parts.join(sep)}${suffix}`;
}

const unknownFields = (prefix = '{', suffix = '}') => fill(prefix, (i) => `"f${i.toString(36)}":1`, ',', suffix);
/** Just under the members limit of one object (LIMITS.members), so the body is parsed and its schema checked. */
const someUnknownFields = (prefix: string, suffix = '}') =>
  `${prefix}${Array.from({ length: 990 }, (_, i) => `"f${i.toString(36)}":1`).join(',')}${suffix}`;
const json = (method: string, path: string, body: string, auth?: Attack['auth']): Omit<Attack, 'name'> => ({
  method,
  path,
  headers: JSON_TYPE,
  body,
  ...(auth ? { auth } : {}),
});

/** Every attack; none may take more than 100 ms or get a 5xx. */
export function attacks(): Attack[] {
  const list: [string, Omit<Attack, 'name'>][] = [
    // The token endpoint: no credential needed to reach it.
    [
      'createToken: form with ~100,000 distinct parameters',
      {
        method: 'POST',
        path: '/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: fill('', (i) => `p${i.toString(36)}=1`, '&', ''),
      },
    ],
    [
      'createToken: form with one parameter repeated ~200,000 times',
      {
        method: 'POST',
        path: '/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: fill('', () => 'a=1', '&', ''),
      },
    ],
    [
      'createToken: JSON with ~100,000 unknown fields',
      json('POST', '/oauth/token', unknownFields('{"grant_type":"client_credentials",')),
    ],
    [
      'createToken: JSON with 1 MiB of duplicate keys',
      json(
        'POST',
        '/oauth/token',
        fill('{', () => '"scope":"x"', ',', '}'),
      ),
    ],
    // createOrder: arrays far over maxItems, errors by the thousand, unknown fields.
    [
      'createOrder: ~500,000 invalid parcels',
      json(
        'POST',
        '/api/v1/orders',
        fill(ORDER_HEAD, () => '1', ',', ']}'),
        'starmile',
      ),
    ],
    [
      'createOrder: ~100,000 empty parcels',
      json(
        'POST',
        '/api/v1/orders',
        fill(ORDER_HEAD, () => '{}', ',', ']}'),
        'starmile',
      ),
    ],
    [
      'createOrder: ~100,000 unknown fields',
      json('POST', '/api/v1/orders', unknownFields(`${ORDER_HEAD}{}],`), 'starmile'),
    ],
    [
      'createOrder: 990 unknown fields',
      json('POST', '/api/v1/orders', someUnknownFields(`${ORDER_HEAD}{}],`), 'starmile'),
    ],
    [
      'createOrder: ~100,000 unknown fields in a parcel',
      json('POST', '/api/v1/orders', unknownFields(`${ORDER_HEAD}{`, '}]}'), 'starmile'),
    ],
    [
      'createOrder: 100 parcels of 100 products, every field wrong',
      json(
        'POST',
        '/api/v1/orders',
        order(
          Array.from({ length: 100 }, () => ({
            weight_grams: 'x',
            package_type: 'x',
            products: Array.from({ length: 100 }, () => ({
              name: 1,
              hs_code: 1,
              declared_value: 'x',
              currency: 1,
              quantity: 'x',
              weight_grams: 'x',
            })),
          })),
        ),
        'starmile',
      ),
    ],
    [
      'createOrder: 100 parcels, ~700 unknown fields each',
      json(
        'POST',
        '/api/v1/orders',
        order(
          Array.from({ length: 100 }, (_, p) =>
            Object.fromEntries(Array.from({ length: 700 }, (_, i) => [`f${p}_${i}`, 1])),
          ),
        ),
        'starmile',
      ),
    ],
    [
      'createOrder: 1 MiB of nested arrays',
      json('POST', '/api/v1/orders', `{"order_id":${'['.repeat(CAP / 2 - 20)}${']'.repeat(CAP / 2 - 20)}}`, 'starmile'),
    ],
    [
      'createOrder: 1 MiB of nested objects',
      json('POST', '/api/v1/orders', `${'{"a":'.repeat(CAP / 6)}1${'}'.repeat(CAP / 6)}`, 'starmile'),
    ],
    [
      'createOrder: 1 MiB of duplicate keys',
      json(
        'POST',
        '/api/v1/orders',
        fill('{', () => '"order_id":"A"', ',', '}'),
        'starmile',
      ),
    ],
    [
      'createOrder: a 1 MiB unknown field name',
      json('POST', '/api/v1/orders', `${ORDER_HEAD}{}],"${'x'.repeat(CAP - 60)}":1}`, 'starmile'),
    ],
    [
      'createOrder: a 1 MiB customer_email',
      json(
        'POST',
        '/api/v1/orders',
        `${ORDER_HEAD}{}],"customer_email":"${'a'.repeat(CAP / 2)}@${'b'.repeat(CAP / 2 - 80)}!"}`,
        'starmile',
      ),
    ],
    [
      'createOrder: 1 MiB of escaped characters',
      json(
        'POST',
        '/api/v1/orders',
        `{"service_id":${CLEARANCE},"order_id":"${'\\u00e9'.repeat(CAP / 6 - 20)}","parcels":[{}]}`,
        'starmile',
      ),
    ],
    [
      'createOrder: 100 valid parcels of 100 products (accepted)',
      {
        ...json(
          'POST',
          '/api/v1/orders',
          order(
            Array.from({ length: 100 }, (_, p) => ({
              item_id: `ACC-{n}-${p}`,
              products: Array.from({ length: 100 }, () => ({
                name: 'Sneakers',
                declared_value: 12,
                currency: 'USD',
                quantity: 1,
              })),
            })),
            'ACCEPTED-{n}',
          ),
          'starmile',
        ),
      },
    ],
    // The other Starmile operations.
    [
      'updateParcel: ~200,000 empty products',
      json(
        'PATCH',
        '/api/v1/orders/{order}/parcels/{parcel}',
        fill('{"products":[', () => '{}', ',', ']}'),
        'starmile',
      ),
    ],
    [
      'updateParcel: 200,000 products that are numbers',
      json(
        'PATCH',
        '/api/v1/orders/{order}/parcels/{parcel}',
        fill('{"products":[', () => '1', ',', ']}'),
        'starmile',
      ),
    ],
    [
      'updateParcel: ~100,000 unknown fields',
      json('PATCH', '/api/v1/orders/{order}/parcels/{parcel}', unknownFields(), 'starmile'),
    ],
    [
      'cancelOrder: ~100,000 unknown fields',
      json('POST', '/api/v1/orders/{order}/cancel', unknownFields(), 'starmile'),
    ],
    [
      'reportEvent: ~100,000 unknown fields',
      json(
        'POST',
        '/api/v1/partner/events',
        unknownFields(
          '{"event_id":"e","type":"parcel.measured","occurred_at":"2026-01-01T00:00:00Z","parcel_id":"{parcel}",',
        ),
        'starmile',
      ),
    ],
    [
      'reportEvent: ~100,000 unknown fields in data',
      json(
        'POST',
        '/api/v1/partner/events',
        unknownFields(
          '{"event_id":"e","type":"parcel.measured","occurred_at":"2026-01-01T00:00:00Z","parcel_id":"{parcel}","data":{',
          '}}',
        ),
        'starmile',
      ),
    ],
    [
      'reportEvent: 990 unknown fields in data',
      json(
        'POST',
        '/api/v1/partner/events',
        someUnknownFields(
          '{"event_id":"e","type":"parcel.measured","occurred_at":"2026-01-01T00:00:00Z","parcel_id":"{parcel}","data":{',
          '}}',
        ),
        'starmile',
      ),
    ],
    [
      'reportEvent: a 1 MiB occurred_at',
      json(
        'POST',
        '/api/v1/partner/events',
        `{"event_id":"e","type":"parcel.received","occurred_at":"2026-01-01T${'0'.repeat(CAP - 120)}Z","parcel_id":"{parcel}"}`,
        'starmile',
      ),
    ],
    [
      'reportEvent: 1 MiB array as the body',
      json(
        'POST',
        '/api/v1/partner/events',
        fill('[', () => '1', ',', ']'),
        'starmile',
      ),
    ],
    [
      'getOrder: an 8 KiB order reference',
      { method: 'GET', path: `/api/v1/orders/${'%F0%9F%93%A6'.repeat(680)}`, auth: 'starmile' },
    ],
    [
      'listRates: 8 KiB of unknown query parameters',
      {
        method: 'GET',
        path: `/api/v1/rates?${Array.from({ length: 900 }, (_, i) => `p${i}=1`).join('&')}`,
        auth: 'starmile',
      },
    ],
    [
      'listStarshipWebhooks: an 8 KiB order_id',
      { method: 'GET', path: `/_sandbox/starship/webhooks?order_id=${'x'.repeat(8000)}` },
    ],
    [
      'Starship getOrder: an 8 KiB id',
      { method: 'GET', path: `/starship/v1/orders/${'x'.repeat(8000)}`, auth: 'starship' },
    ],
    [
      'listChanges: 8 KiB query of repeated parameters',
      { method: 'GET', path: `/api/v1/partner/changes?${'limit=1&'.repeat(1000)}`, auth: 'starmile' },
    ],
    // The sandbox-admin operator API.
    ['mapRegion: ~100,000 unknown fields', json('POST', '/_sandbox/region-mappings', unknownFields())],
    ['advanceParcel: ~100,000 unknown fields', json('POST', '/_sandbox/parcels/{parcel}/advance', unknownFields())],
    ['expireTokens: ~100,000 unknown fields', json('POST', '/_sandbox/tokens/expire', unknownFields())],
    [
      'setStarshipWebhookTarget: ~100,000 unknown fields',
      json('PUT', '/_sandbox/starship/webhook-target', unknownFields()),
    ],
    [
      'setStarshipWebhookTarget: a 1 MiB url',
      json('PUT', '/_sandbox/starship/webhook-target', `{"url":"http://${'a'.repeat(CAP - 40)}/"}`),
    ],
    [
      'escalateStarshipOrder: ~100,000 unknown fields',
      json('POST', '/_sandbox/starship/orders/ord_none/escalate', unknownFields()),
    ],
    // Starship.
    [
      'Starship createOrder: quantity 10,000 (over the bulk cap)',
      json('POST', '/starship/v1/orders', '{"sku":"AMZ-GC-25-EUR","quantity":10000}', 'starship'),
    ],
    [
      'Starship createOrder: ~100,000 unknown fields',
      json('POST', '/starship/v1/orders', unknownFields('{"sku":"AMZ-GC-25-EUR","quantity":1,'), 'starship'),
    ],
    [
      'Starship createOrder: 990 unknown fields',
      json('POST', '/starship/v1/orders', someUnknownFields('{"sku":"AMZ-GC-25-EUR","quantity":1,'), 'starship'),
    ],
    [
      'Starship createOrder: 1 MiB of duplicate keys',
      json(
        'POST',
        '/starship/v1/orders',
        fill('{', () => '"sku":"X"', ',', '}'),
        'starship',
      ),
    ],
  ];
  return list.map(([name, attack]) => ({ name, ...attack }));
}
