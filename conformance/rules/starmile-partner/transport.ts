// Checks of transport errors (X7): malformed JSON 400, wrong media type 415, oversized body 413, none storing anything.
import { expect } from '../../src/expect.ts';
import { designed, rule } from './meta.ts';
import { at, request, response } from '../../src/fault-kit.ts';
import { created, expectError, homeOrder, parcel } from './lib.ts';

rule({
  id: 'HTTP-400-MALFORMED',
  level: 'MUST',
  operations: ['createOrder', 'reportEvent'],
  tags: ['transport'],
  title: 'A body that is not well-formed JSON is 400 and stores nothing.',
  source: designed('Parse errors are not rule errors.', '/components/responses/MalformedJson', 'X7'),
  fault: response((r) => at.createOrder(r) || at.reportEvent(r), (res) => void (res.status === 400 && (res.status = 422))),
  check: async (t) => {
    const body = homeOrder(t);
    const broken = JSON.stringify(body).slice(0, -2);
    expectError(t, await t.request({ path: '/api/v1/orders', raw: broken, headers: { 'Content-Type': 'application/json' } }), 400, undefined, 'createOrder');
    expectError(t, await t.request({ path: '/api/v1/partner/events', raw: '{"event_id": "x", "type": ', headers: { 'Content-Type': 'application/json' } }), 400, undefined, 'reportEvent');
    const order = await created(t, body);
    expect(order.orderId, 'nothing was stored').toBe(body.order_id);
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
    expectError(t, await t.request({ path: '/api/v1/orders', raw: JSON.stringify(body), headers: { 'Content-Type': 'text/plain' } }), 415);
    const order = await created(t, body);
    expect(order.orderId, 'nothing was stored').toBe(body.order_id);
  },
});

rule({
  id: 'HTTP-413-TOO-LARGE',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['transport'],
  title: 'A body over 1 MiB is 413.',
  source: designed('Bounded bodies.', '/components/responses/PayloadTooLarge', 'X7'),
  fault: request(at.createOrder, (req) => void (req.json && req.body.length > 1024 * 1024 && delete req.json.notes)),
  check: async (t) => {
    const body = homeOrder(t, { parcels: [parcel(t, { products: [{ name: 'Sneakers', hs_code: '640411' }] })] });
    const huge = { ...body, notes: 'x'.repeat(1024 * 1024 + 16) };
    // A server may answer 413 and close without reading the body; the suite reads that answer (and sends again after a reset, which an oversized body makes safe).
    expectError(t, await t.request({ path: '/api/v1/orders', json: huge, resendIfReset: true }), 413);
    const order = await created(t, body);
    expect(order.orderId, 'nothing was stored').toBe(body.order_id);
  },
});
