// Retries after 429/503: only reads and cancel are repeated, waits honour Retry-After, tries are bounded.
import { describe, expect, it } from 'vitest';
import type { StarmileClient } from '../src/index.js';
import { isRetrySafe, parseRetryAfter, retryDelay, retryPolicy } from '../src/retry.js';
import { examples } from './support/examples.js';
import { type Answer, manualClock, observedFetch, recordedSleep, type Script } from './support/observed-fetch.js';
import { testClient } from './support/test-client.js';

const NOW = Date.parse('2026-11-24T10:00:00Z');
const busy = (status: 429 | 503, retryAfter?: string): Answer => ({
  status,
  body: examples.tooManyRequests(),
  ...(retryAfter === undefined ? {} : { headers: { 'Retry-After': retryAfter } }),
});

describe('retries after 429 and 503', () => {
  function setup(script: Script) {
    const observed = observedFetch(script);
    const waits = recordedSleep();
    const clock = manualClock(NOW);
    const client = testClient(observed.fetch, {
      now: clock.now,
      retry: { sleep: waits.sleep, random: () => 0.5 },
    });
    const apiCalls = () => observed.trail().filter((t) => t !== 'POST /oauth/token');
    return { ...observed, client, waits: waits.waits, apiCalls };
  }

  type Call = [route: string, call: (c: StarmileClient) => Promise<{ response: Response }>, ok: Answer];
  const reads: Record<string, Call> = {
    getOrder: [
      'GET /api/v1/orders/PO-10294',
      (c) => c.getOrder('PO-10294'),
      { status: 200, body: examples.getOrderResponse() },
    ],
    listServices: ['GET /api/v1/services', (c) => c.listServices(), { status: 200, body: { data: [] } }],
    listRates: ['GET /api/v1/rates', (c) => c.listRates(), { status: 200, body: { data: [] } }],
    listChanges: [
      'GET /api/v1/partner/changes',
      (c) => c.listChanges({ since: 'c_1' }),
      { status: 200, body: examples.changes() },
    ],
    cancelOrder: [
      'POST /api/v1/orders/PO-10294/cancel',
      (c) => c.cancelOrder('PO-10294', examples.cancelOrder()),
      { status: 200, body: examples.cancelOrderResponse() },
    ],
  };
  const writes: Record<string, Call> = {
    createOrder: [
      'POST /api/v1/orders',
      (c) => c.createOrder(examples.createOrder()),
      { status: 201, body: examples.createOrderResponse() },
    ],
    updateParcel: [
      'PATCH /api/v1/orders/PO-10294/parcels/PKG-1',
      (c) => c.updateParcel('PO-10294', 'PKG-1', examples.updateParcel()),
      { status: 200, body: {} },
    ],
    reportEvent: [
      'POST /api/v1/partner/events',
      (c) => c.reportEvent(examples.reportEvent()),
      { status: 202, body: {} },
    ],
  };

  describe('operations safe to repeat', () => {
    it.each(Object.entries(reads).flatMap(([name, call]) => [[name, 429, call] as const, [name, 503, call] as const]))(
      '%s after a %i is sent again after Retry-After, with the same body',
      async (_name, status, [route, call, ok]) => {
        const { client, waits, apiCalls, seen } = setup({ [route]: [busy(status, '2'), ok] });
        const { response } = await call(client);
        expect(response.status).toBe(ok.status);
        expect(waits).toEqual([2000]);
        expect(apiCalls()).toHaveLength(2);
        const sent = seen.filter((s) => s.path !== '/oauth/token');
        expect(sent[1]?.body).toBe(sent[0]?.body);
        expect(sent[1]?.authorization).toBe('Bearer tok-1');
      },
    );

    it('cancel sends its reason again on the retry', async () => {
      const { client, seen } = setup({ [reads.cancelOrder![0]]: [busy(503), reads.cancelOrder![2]] });
      await client.cancelOrder('PO-10294', { reason: 'customer changed their mind' });
      expect(seen.filter((s) => s.path.endsWith('/cancel')).map((s) => s.body)).toEqual([
        '{"reason":"customer changed their mind"}',
        '{"reason":"customer changed their mind"}',
      ]);
    });

    it('stops after 3 tries and returns the last answer', async () => {
      const { client, waits, apiCalls } = setup({ 'GET /api/v1/orders/PO-10294': [busy(503)] });
      const { error, response } = await client.getOrder('PO-10294');
      expect(response.status).toBe(503);
      expect(error).toEqual(examples.tooManyRequests());
      expect(apiCalls()).toHaveLength(3);
      expect(waits).toHaveLength(2);
    });

    it.each([
      ['delta-seconds', '7', [7000, 7000], 3],
      ['an HTTP date', new Date(NOW + 4000).toUTCString(), [4000, 4000], 3],
      ['an HTTP date already past', new Date(NOW - 4000).toUTCString(), [0, 0], 3],
      ['no header: backoff with jitter', undefined, [187.5, 375], 3],
      ['an unreadable header: backoff', 'soon', [187.5, 375], 3],
      ['more than the 30 s limit: no retry', '120', [], 1],
    ])('Retry-After as %s (%j) on every answer', async (_name, header, want, calls) => {
      const { client, waits, apiCalls } = setup({ 'GET /api/v1/orders/PO-10294': [busy(429, header)] });
      await client.getOrder('PO-10294');
      expect(waits).toEqual(want);
      expect(apiCalls()).toHaveLength(calls);
    });

    it('a 401 on a retried read still gets its one token refresh', async () => {
      const { client, trail } = setup({
        'GET /api/v1/orders/PO-10294': [
          busy(429, '1'),
          { status: 401, body: examples.unauthorized() },
          reads.getOrder![2],
        ],
      });
      const { response } = await client.getOrder('PO-10294');
      expect(response.status).toBe(200);
      expect(trail()).toEqual([
        'POST /oauth/token',
        'GET /api/v1/orders/PO-10294',
        'GET /api/v1/orders/PO-10294',
        'POST /oauth/token',
        'GET /api/v1/orders/PO-10294',
      ]);
    });
  });

  describe('operations never repeated blindly', () => {
    it.each(Object.entries(writes).flatMap(([name, call]) => [[name, 429, call] as const, [name, 503, call] as const]))(
      '%s after a %i returns it to the caller, sent once',
      async (_name, status, [route, call, ok]) => {
        const { client, waits, apiCalls } = setup({ [route]: [busy(status, '1'), ok] });
        const { response } = await call(client);
        expect(response.status).toBe(status);
        expect(apiCalls()).toEqual([route]);
        expect(waits).toEqual([]);
      },
    );
  });
});

describe('the policy', () => {
  it.each([
    ['GET', '/api/v1/orders/{order_id}', true],
    ['GET', '/api/v1/partner/changes', true],
    ['HEAD', '/api/v1/orders/{order_id}', true],
    ['POST', '/api/v1/orders/{order_id}/cancel', true],
    ['POST', '/api/v1/orders', false],
    ['PATCH', '/api/v1/orders/{order_id}/parcels/{item_id}', false],
    ['POST', '/api/v1/partner/events', false],
    ['POST', '/oauth/token', false],
  ])('%s %s safe to repeat: %s', (method, path, want) => {
    expect(isRetrySafe(method, path)).toBe(want);
  });

  it.each([
    [null, undefined],
    ['0', 0],
    ['120', 120_000],
    [' 3 ', 3000],
    ['Tue, 24 Nov 2026 10:00:05 GMT', 5000],
    ['-1', undefined],
    ['1.5', undefined],
    ['later', undefined],
  ])('Retry-After %j is %j ms', (header, want) => {
    expect(parseRetryAfter(header, NOW)).toBe(want);
  });

  it.each([
    [1, 0, 125],
    [1, 0.999, 249.875],
    [2, 0, 250],
    [3, 0.5, 750],
    [20, 0, 15_000],
  ])('backoff before try %i+1 with random %d waits %d ms', (attempt, random, want) => {
    expect(retryDelay(null, attempt, retryPolicy({ random: () => random }), NOW)).toBe(want);
  });
});
