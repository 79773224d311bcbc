// The client's OAuth2 handling: token on first use, cached, renewed before expiry, shared by concurrent calls, one
// refresh after a 401, typed token errors.
import { describe, expect, it } from 'vitest';
import { StarmileTokenError } from '../src/index.js';
import { examples } from './support/examples.js';
import { type Answer, manualClock, observedFetch, type Script, tokenAnswer } from './support/observed-fetch.js';
import { testClient } from './support/test-client.js';

const ORDER = 'GET /api/v1/orders/PO-10294';

describe('OAuth2 client credentials', () => {
  function setup(script: Script = {}, extra: { scopes?: string[]; now?: () => number } = {}) {
    const observed = observedFetch({ [ORDER]: [{ status: 200, body: examples.getOrderResponse() }], ...script });
    const client = testClient(observed.fetch, extra);
    return { ...observed, client };
  }

  describe('token on first use', () => {
    it('asks for nothing until the first call, then fetches the token before the call', async () => {
      const { client, trail, seen } = setup({}, { scopes: ['status:read', 'orders:create'] });
      expect(trail()).toEqual([]);
      const { data } = await client.getOrder('PO-10294');
      expect(data?.data.external_parent_id).toBe('PO-10294');
      expect(trail()).toEqual(['POST /oauth/token', ORDER]);
      expect(seen[0]?.contentType).toBe('application/json');
      expect(JSON.parse(seen[0]?.body ?? '')).toEqual({
        grant_type: 'client_credentials',
        client_id: 'cli_acme',
        client_secret: 's3cret',
        scope: 'status:read orders:create',
      });
      expect(seen[1]?.authorization).toBe('Bearer tok-1');
    });

    it.each([
      ['no scopes given', undefined],
      ['an empty scope list', []],
    ])('omits scope for %s, so the token carries every scope of the credential', async (_name, scopes) => {
      const { client, seen } = setup({}, scopes ? { scopes } : {});
      await client.getOrder('PO-10294');
      expect(JSON.parse(seen[0]?.body ?? '')).not.toHaveProperty('scope');
    });

    it('signs the raw openapi-fetch methods too', async () => {
      const { client, seen } = setup();
      const { data } = await client.GET('/api/v1/orders/{order_id}', { params: { path: { order_id: 'PO-10294' } } });
      expect(data?.data.order_id).toBe('SM7700000001');
      expect(seen.map((s) => s.authorization)).toEqual([null, 'Bearer tok-1']);
    });
  });

  describe('token cache', () => {
    it('reuses one token across calls', async () => {
      const { client, trail, seen } = setup();
      for (let i = 0; i < 3; i++) await client.getOrder('PO-10294');
      expect(trail()).toEqual(['POST /oauth/token', ORDER, ORDER, ORDER]);
      expect(new Set(seen.slice(1).map((s) => s.authorization))).toEqual(new Set(['Bearer tok-1']));
    });

    // expires_in 3600 renews 30 s early; expires_in 60 renews a tenth (6 s) early.
    it.each([
      ['well before expiry', 3600, 3_000_000, 'Bearer tok-1'],
      ['1 s before the 30 s margin', 3600, 3_569_000, 'Bearer tok-1'],
      ['inside the 30 s margin', 3600, 3_570_000, 'Bearer tok-2'],
      ['after expiry', 3600, 4_000_000, 'Bearer tok-2'],
      ['a short token before its 6 s margin', 60, 53_999, 'Bearer tok-1'],
      ['a short token inside its 6 s margin', 60, 54_000, 'Bearer tok-2'],
    ])('at %s (expires_in %i, clock %i ms) sends %s', async (_name, expiresIn, later, want) => {
      const clock = manualClock(0);
      let n = 0;
      const { client, seen } = setup({ 'POST /oauth/token': () => tokenAnswer(++n, expiresIn) }, { now: clock.now });
      await client.getOrder('PO-10294');
      clock.set(later);
      await client.getOrder('PO-10294');
      expect(seen.at(-1)?.authorization).toBe(want);
    });

    it('shares one token request among concurrent first calls', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const { client, trail, seen } = setup({
        'POST /oauth/token': async () => {
          await gate;
          return tokenAnswer(1);
        },
      });
      const calls = Array.from({ length: 10 }, () => client.getOrder('PO-10294'));
      await new Promise((resolve) => setTimeout(resolve, 0));
      release();
      const results = await Promise.all(calls);
      expect(results.every((r) => r.response.status === 200)).toBe(true);
      expect(trail().filter((t) => t === 'POST /oauth/token')).toHaveLength(1);
      expect(seen.filter((s) => s.authorization === 'Bearer tok-1')).toHaveLength(10);
    });
  });

  describe('401 from an API call', () => {
    const unauthorized: Answer = {
      status: 401,
      body: examples.unauthorized(),
      headers: { 'WWW-Authenticate': 'Bearer realm="starmile", error="invalid_token"' },
    };

    it('fetches a fresh token and sends the same request once more, body included', async () => {
      const { client, trail, seen } = setup({
        'POST /api/v1/orders': [unauthorized, { status: 201, body: examples.createOrderResponse() }],
      });
      const { data, error } = await client.createOrder(examples.createOrder());
      expect(error).toBeUndefined();
      expect(data?.data.order_id).toBeTypeOf('string');
      expect(trail()).toEqual(['POST /oauth/token', 'POST /api/v1/orders', 'POST /oauth/token', 'POST /api/v1/orders']);
      expect([seen[1]?.authorization, seen[3]?.authorization]).toEqual(['Bearer tok-1', 'Bearer tok-2']);
      expect(seen[3]?.body).toBe(seen[1]?.body);
      expect(JSON.parse(seen[3]?.body ?? '')).toEqual(examples.createOrder());
    });

    it('returns a second 401 to the caller, after exactly one refresh', async () => {
      const { client, trail } = setup({ [ORDER]: [unauthorized] });
      const { data, error, response } = await client.getOrder('PO-10294');
      expect(data).toBeUndefined();
      expect(response.status).toBe(401);
      expect(error?.message).toBe(examples.unauthorized().message);
      expect(trail()).toEqual(['POST /oauth/token', ORDER, 'POST /oauth/token', ORDER]);
    });

    it('keeps using the fresh token afterwards', async () => {
      const { client, seen } = setup({ [ORDER]: [unauthorized, { status: 200, body: examples.getOrderResponse() }] });
      await client.getOrder('PO-10294');
      await client.getOrder('PO-10294');
      expect(seen.map((s) => s.authorization ?? s.path)).toEqual([
        '/oauth/token',
        'Bearer tok-1',
        '/oauth/token',
        'Bearer tok-2',
        'Bearer tok-2',
      ]);
    });
  });

  describe('token endpoint errors', () => {
    it.each([
      ['invalid_client', { status: 401, body: examples.invalidClient() }, 401, 'invalid_client'],
      ['invalid_scope', { status: 400, body: examples.invalidScope() }, 400, 'invalid_scope'],
      ['a body that is not JSON', { status: 502, headers: { 'Content-Type': 'text/html' } }, 502, undefined],
    ] as [string, Answer, number, string | undefined][])(
      '%s rejects the call with a StarmileTokenError',
      async (_name, answer, status, code) => {
        const { client, trail } = setup({ 'POST /oauth/token': [answer] });
        const failure = await client.getOrder('PO-10294').catch((e: unknown) => e);
        expect(failure).toBeInstanceOf(StarmileTokenError);
        const tokenError = failure as StarmileTokenError;
        expect([tokenError.status, tokenError.error]).toEqual([status, code]);
        const description = (answer.body as { error_description?: string } | undefined)?.error_description;
        expect(tokenError.errorDescription).toBe(description);
        expect(trail()).toEqual(['POST /oauth/token']);
      },
    );

    it('asks again on the next call instead of caching the failure', async () => {
      const { client, trail } = setup({
        'POST /oauth/token': [{ status: 401, body: examples.invalidClient() }, tokenAnswer(7)],
      });
      await expect(client.getOrder('PO-10294')).rejects.toBeInstanceOf(StarmileTokenError);
      const { response } = await client.getOrder('PO-10294');
      expect(response.status).toBe(200);
      expect(trail()).toEqual(['POST /oauth/token', 'POST /oauth/token', ORDER]);
    });
  });
});
