// Checks of transport (X7, X12, X13): malformed or ambiguous JSON 400, wrong media type 415, oversized body 413, none
// storing anything; HEAD wherever GET.

import type { CreateOrderRequest, CreateOrderResponse } from '../../../contract/starmile-partner.ts';
import type { RuleContext } from '../../src/context.ts';
import { expect } from '../../src/expect.ts';
import { answer, at, json, parsedAsJson, request, response } from '../../src/fault-kit.ts';
import type { Res } from '../../src/http.ts';
import {
  cancelAfter,
  created,
  createOrder,
  expectError,
  expectStatus,
  getOrder,
  homeOrder,
  on,
  parcel,
  parcelEvent,
  reportEvent,
  wholeBody,
} from './lib.ts';
import { designed, rule } from './meta.ts';
import { bodyCap } from './spec.ts';

/**
 * The refused body, sent again as it should have been, creates its order (201): had the refused one been stored, its
 * order_id would be taken and this would be 422, failing this rule rather than blocking it.
 */
async function storedNothing(t: RuleContext, body: CreateOrderRequest): Promise<void> {
  const res = await createOrder(t, body);
  if (res.status === 201 && res.body?.data?.order_id) cancelAfter(t, res.body.data.order_id);
  expectStatus(res, 201, 'nothing was stored: the refused body sent again as JSON');
}

rule({
  id: 'HTTP-400-MALFORMED',
  level: 'MUST',
  operations: ['createOrder', 'reportEvent'],
  tags: ['transport'],
  title: 'A body that is not well-formed JSON is 400 and stores nothing.',
  source: designed('Parse errors are not rule errors.', '/components/responses/MalformedJson', 'X7'),
  fault: response(
    (r) => at.createOrder(r) || at.reportEvent(r),
    (res) => {
      if (res.status === 400) res.status = 422;
    },
  ),
  check: async (t) => {
    const body = homeOrder(t);
    const broken = JSON.stringify(body).slice(0, -2);
    expectError(
      t,
      await t.request({ path: '/api/v1/orders', raw: broken, headers: { 'Content-Type': 'application/json' } }),
      400,
      undefined,
      'createOrder',
    );
    expectError(
      t,
      await t.request({
        path: '/api/v1/partner/events',
        raw: '{"event_id": "x", "type": ',
        headers: { 'Content-Type': 'application/json' },
      }),
      400,
      undefined,
      'reportEvent',
    );
    await storedNothing(t, body);
  },
});

rule({
  id: 'HTTP-415-MEDIA-TYPE',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['transport'],
  title: 'A body not sent as application/json is 415 and stores nothing.',
  source: designed('Only JSON is read.', '/components/responses/UnsupportedMediaType', 'X7'),
  fault: request(at.createOrder, (req) => {
    if (!(req.headers['content-type'] ?? '').startsWith('text/plain')) return;
    req.headers['content-type'] = 'application/json';
    req.json = JSON.parse(req.body.toString('utf8'));
  }),
  check: async (t) => {
    const body = homeOrder(t);
    expectError(
      t,
      await t.request({ path: '/api/v1/orders', raw: JSON.stringify(body), headers: { 'Content-Type': 'text/plain' } }),
      415,
    );
    await storedNothing(t, body);
  },
});

rule({
  id: 'HTTP-413-TOO-LARGE',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['transport'],
  title: `A body over ${bodyCap() / 1024 / 1024} MiB is 413.`,
  source: designed('Bounded bodies.', '/components/responses/PayloadTooLarge', 'X7'),
  fault: request(at.createOrder, (req) => void (req.json && req.body.length > bodyCap() && delete req.json.notes)),
  check: async (t) => {
    const body = homeOrder(t, { parcels: [parcel(t, { products: [{ name: 'Sneakers', hs_code: '640411' }] })] });
    const huge = { ...body, notes: 'x'.repeat(bodyCap() + 16) };
    // A server may answer 413 and close without reading the body; the suite reads that answer (and sends again after a
    // reset, which an oversized body makes safe).
    expectError(t, await t.request({ path: '/api/v1/orders', json: huge, resendIfReset: true }), 413);
    await storedNothing(t, body);
  },
});

/** Sends a JSON body as the given bytes; an order wrongly accepted is cancelled after the rule. */
async function sendBytes(
  t: RuleContext,
  path: '/api/v1/orders' | '/api/v1/partner/events',
  raw: string | Buffer,
): Promise<Res> {
  const res = await t.request({ path, raw, headers: { 'Content-Type': 'application/json' } });
  if (path === '/api/v1/orders' && res.status === 201) cancelAfter(t, (res.body as CreateOrderResponse).data.order_id);
  return res;
}

/** The JSON text of an object with one more member in front (so the object has `key` twice when it has it already). */
const withLeading = (value: object, key: string, member: unknown) =>
  JSON.stringify(value).replace(/^\{/, `{${key}:${JSON.stringify(member)},`);

rule({
  id: 'HTTP-400-REPEATED-KEY',
  level: 'MUST',
  operations: ['createOrder', 'reportEvent'],
  tags: ['transport', 'json'],
  title:
    'A JSON body with a key twice in one object (also when one is written with an escape) is 400 naming the body, and neither reading of it is stored.',
  source: designed(
    'A body that could be read two ways is refused, never read one way here and another elsewhere.',
    '/components/responses/MalformedJson',
    'X12',
  ),
  // A JSON.parse server: the last value wins.
  fault: parsedAsJson((r) => at.createOrder(r) || at.reportEvent(r)),
  moreFaults: [
    {
      bug: 'repeated keys are found by their raw text, so "order_id" and "order\\u005fid" both pass (RFC 8259: the same key once unescaped)',
      class: 'contract',
      fault: parsedAsJson(
        (r) => at.createOrder(r) && /"[^"]*\\u[0-9a-fA-F]{4}[^"]*"\s*:/.test(r.body.toString('utf8')),
      ),
    },
  ],
  check: async (t) => {
    const body = homeOrder(t);
    // JSON.parse keeps the last value (the body's own order_id), other parsers the first: both readings must stay
    // unstored.
    const first = t.ref('o');
    for (const [what, text] of [
      ['createOrder, order_id twice', withLeading(body, '"order_id"', first)],
      ['createOrder, "order_id" and "order\\u005fid"', withLeading(body, '"order\\u005fid"', first)],
    ] as const)
      expectError(t, await sendBytes(t, '/api/v1/orders', text), 400, wholeBody(), what);
    const order = await created(t, body);
    expect(order.orderId, 'nothing was stored under the last value').toBe(body.order_id);
    expectStatus(await getOrder(t, first), 404, 'nothing was stored under the first value');
    const event = parcelEvent(t, 'parcel.measured', order.parcels[0]!.parcel_id, { weight_grams: 1234 });
    expectError(
      t,
      await sendBytes(t, '/api/v1/partner/events', withLeading(event, '"event_id"', t.ref('e'))),
      400,
      wholeBody(),
      'reportEvent, event_id twice',
    );
    expectStatus(await reportEvent(t, event), 202, 'the event sent once is new: nothing was stored');
  },
});

/**
 * Byte sequences RFC 3629 forbids in UTF-8 (RFC 8259 §8.1 requires it): a byte that is never UTF-8, an overlong "/", an
 * encoded surrogate.
 */
const NOT_UTF8: [what: string, bytes: number[]][] = [
  ['the byte FF', [0xff]],
  ['an overlong "/" (C0 AF)', [0xc0, 0xaf]],
  ['an encoded surrogate (ED A0 80)', [0xed, 0xa0, 0x80]],
];

/** The JSON text with `marker` replaced by raw bytes. */
const withBytes = (value: object, marker: string, bytes: number[]) => {
  const [before, after] = JSON.stringify(value).split(marker) as [string, string];
  return Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]);
};

/**
 * A lenient decoder's reading of the bytes (each bad sequence becomes U+FFFD), so the suite can ask whether that
 * reading was stored.
 */
const lenient = (bytes: number[]) => Buffer.from(bytes).toString('utf8');

rule({
  id: 'HTTP-400-INVALID-UTF8',
  level: 'MUST',
  operations: ['createOrder', 'reportEvent'],
  tags: ['transport', 'json'],
  title:
    'A JSON body that is not valid UTF-8 (a stray byte, an overlong form, an encoded surrogate) is 400 naming the body, and nothing is stored under its replacement-character reading.',
  source: designed(
    'Two different byte strings must never become the same reference.',
    '/components/responses/MalformedJson',
    'X12',
  ),
  // A lenient decoder: bad sequences become U+FFFD and the body is read as that.
  fault: parsedAsJson((r) => at.createOrder(r) || at.reportEvent(r)),
  check: async (t) => {
    // Plain text JSON.stringify keeps as it is, replaced by the bytes on the way out.
    const marker = '~not-utf8~';
    const cases = NOT_UTF8.map(([what, bytes]) => ({
      what,
      bytes,
      body: homeOrder(t, { order_id: `${t.ref('o')}${marker}` }),
    }));
    for (const { what, bytes, body } of cases)
      expectError(
        t,
        await sendBytes(t, '/api/v1/orders', withBytes(body, marker, bytes)),
        400,
        wholeBody(),
        `createOrder, ${what}`,
      );
    // Not stored under the lenient reading either: an order with that very reference is new.
    const [{ bytes, body }] = cases as [(typeof cases)[number]];
    const order = await created(t, { ...body, order_id: body.order_id.replace(marker, lenient(bytes)) });
    const event = {
      ...parcelEvent(t, 'parcel.measured', order.parcels[0]!.parcel_id, { weight_grams: 1234 }),
      event_id: `${t.ref('e')}${marker}`,
    };
    expectError(
      t,
      await sendBytes(t, '/api/v1/partner/events', withBytes(event, marker, bytes)),
      400,
      wholeBody(),
      `reportEvent, ${cases[0]!.what}`,
    );
    expectStatus(
      await reportEvent(t, { ...event, event_id: event.event_id.replace(marker, lenient(bytes)) }),
      202,
      'the event under its lenient reading is new: nothing was stored',
    );
  },
});

/** Headers that describe the answer rather than the message carrying it (Date, Connection, ... may differ). */
const ANSWER_HEADERS = [
  'content-type',
  'content-length',
  'cache-control',
  'www-authenticate',
  'etag',
  'last-modified',
  'content-encoding',
  'content-language',
  'vary',
  'allow',
  'retry-after',
];

rule({
  id: 'HTTP-HEAD',
  level: 'SHOULD',
  operations: ['listServices', 'listRates', 'getOrder'],
  tags: ['transport'],
  title:
    'HEAD answers wherever GET does: the same status and the same headers (Content-Length included), without the body; on a 200, a 404 and a 401 alike.',
  source: designed('RFC 9110 §9.3.2: HEAD is GET without the body.', '/info/description', 'X13'),
  // As before X13: HEAD is no route.
  fault: answer(
    (r) => r.method === 'HEAD',
    () => json(405, { message: 'Method not allowed.' }, { allow: 'GET' }),
  ),
  check: async (t) => {
    const order = await created(t, homeOrder(t));
    const reads: [what: string, path: string, token?: null][] = [
      ['the services', '/api/v1/services'],
      ['the rates', '/api/v1/rates'],
      ['an order', `/api/v1/orders/${encodeURIComponent(order.tracking)}`],
      ['an unknown order', `/api/v1/orders/${t.ref('nope')}`],
      ['the services without a token', '/api/v1/services', null],
    ];
    const described = (res: Res, keep: (name: string) => boolean) =>
      Object.fromEntries(ANSWER_HEADERS.filter(keep).map((h) => [h, res.headers.get(h)]));
    for (const [what, path, token] of reads) {
      const opts = { path, ...(token === null ? { token } : {}) };
      const get = await t.request(opts);
      const head = await t.request({ ...opts, method: 'HEAD' });
      on(head, () => {
        expect(head.status, `HEAD ${what}: the status of GET`).toBe(get.status);
        // A chunked GET has no Content-Length for HEAD to repeat.
        expect(
          described(head, (h) => h !== 'content-length' || get.headers.has(h)),
          `HEAD ${what}: the headers of GET`,
        ).toEqual(described(get, (h) => h !== 'content-length' || get.headers.has(h)));
        expect(head.text, `HEAD ${what}: no body`).toBe('');
      });
    }
  },
});
