// The named methods answer alike on both paths: the same requests on the wire and the same { data, error, status } as openapi-fetch gives.
import { describe, expect, it } from 'vitest';
import type { StarmileClient } from '../src/index.js';
import { examples } from './support/examples.js';
import { observedFetch, type Answer } from './support/observed-fetch.js';
import { CALL_PATHS, clientOn } from './support/paths.js';

const calls: [string, string, (c: StarmileClient) => Promise<{ data?: unknown; error?: unknown; response: Response }>][] = [
  ['getOrder with an id to escape', 'GET /api/v1/orders/PO%2010294%2F%C3%A9', (c) => c.getOrder('PO 10294/é', { headers: { 'X-Trace': 't1' } })],
  ['createOrder', 'POST /api/v1/orders', (c) => c.createOrder(examples.createOrder())],
  ['updateParcel', 'PATCH /api/v1/orders/PO-1/parcels/PKG-1', (c) => c.updateParcel('PO-1', 'PKG-1', examples.updateParcel())],
  ['cancelOrder', 'POST /api/v1/orders/PO-1/cancel', (c) => c.cancelOrder('PO-1', { reason: 'late' })],
  ['listChanges', 'GET /api/v1/partner/changes', (c) => c.listChanges({ since: 'c 1&x', limit: 5 })],
  ['listChanges without a cursor', 'GET /api/v1/partner/changes', (c) => c.listChanges({ limit: 5 })],
  ['reportEvent', 'POST /api/v1/partner/events', (c) => c.reportEvent(examples.reportEvent())],
];
const answers: [string, Answer][] = [
  ['a JSON body', { status: 200, body: examples.getOrderResponse() }],
  ['a JSON error', { status: 409, body: { message: 'The order has moved past its first step.' } }],
  ['an empty success', { status: 204 }],
  ['an empty error', { status: 404, headers: { 'Content-Length': '0' } }],
  ['a text error', { status: 502, raw: 'Bad gateway', headers: { 'Content-Type': 'text/plain' } }],
  ['a JSON body with its Content-Length', { status: 200, raw: '{"data":[]}', headers: { 'Content-Length': '11' } }],
  ['a 200 that is not JSON', { status: 200, raw: '<html>', headers: { 'Content-Type': 'text/html', 'Content-Length': '6' } }],
  ['a 200 that is not JSON, no length', { status: 200, raw: '<html>', headers: { 'Content-Type': 'text/html' } }],
];

describe.each(calls)('%s', (_name, route, call) => {
  it.each(answers)('answered with %s, both paths agree', async (_answer, answer) => {
    const outcomes = [];
    for (const path of CALL_PATHS) {
      const observed = observedFetch({ [route]: [answer] });
      const client = clientOn(path, { baseUrl: 'http://starmile.test', clientId: 'a', clientSecret: 'b', fetch: observed.fetch });
      const sent = () => observed.seen.filter((s) => s.path !== '/oauth/token');
      try {
        const { data, error, response } = await call(client);
        outcomes.push({ sent: sent(), data, error, status: response.status });
      } catch (thrown) {
        outcomes.push({ sent: sent(), thrown: String(thrown) });
      }
    }
    expect(outcomes[0]!.sent.map((s) => `${s.method} ${s.path}`)).toEqual([route]);
    expect(outcomes[1]).toEqual(outcomes[0]);
  });
});
