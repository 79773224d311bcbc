// The named methods: each sends its operation's method, path, query and body, answers openapi-fetch's { data, error,
// response }, and the status pool pages follow next_cursor.
import { describe, expect, it } from 'vitest';
import { type StarmileClient, StarmileResponseError } from '../src/index.js';
import { examples } from './support/examples.js';
import { type Answer, observedFetch, type Script } from './support/observed-fetch.js';
import { testClient } from './support/test-client.js';

describe('operations', () => {
  function setup(script: Script) {
    const observed = observedFetch(script);
    // A base URL with a trailing slash: paths still join with one.
    const client = testClient(observed.fetch, { baseUrl: 'http://starmile.test/' });
    return { ...observed, client, api: () => observed.seen.filter((s) => s.path !== '/oauth/token') };
  }

  const ok: Answer = { status: 200, body: {} };
  describe('named methods', () => {
    it.each([
      ['listServices', (c: StarmileClient) => c.listServices(), 'GET /api/v1/services', undefined],
      ['listRates', (c: StarmileClient) => c.listRates(), 'GET /api/v1/rates', undefined],
      [
        'createOrder',
        (c: StarmileClient) => c.createOrder(examples.createOrder()),
        'POST /api/v1/orders',
        examples.createOrder(),
      ],
      ['getOrder', (c: StarmileClient) => c.getOrder('PO 1/2'), 'GET /api/v1/orders/PO%201%2F2', undefined],
      [
        'getOrder with an id beyond ASCII',
        (c: StarmileClient) => c.getOrder('PO 10294/é'),
        'GET /api/v1/orders/PO%2010294%2F%C3%A9',
        undefined,
      ],
      [
        'updateParcel',
        (c: StarmileClient) => c.updateParcel('PO-1', 'PKG-1', examples.updateParcel()),
        'PATCH /api/v1/orders/PO-1/parcels/PKG-1',
        examples.updateParcel(),
      ],
      [
        'cancelOrder without a reason',
        (c: StarmileClient) => c.cancelOrder('PO-1'),
        'POST /api/v1/orders/PO-1/cancel',
        undefined,
      ],
      [
        'cancelOrder with a reason',
        (c: StarmileClient) => c.cancelOrder('PO-1', { reason: 'late' }),
        'POST /api/v1/orders/PO-1/cancel',
        { reason: 'late' },
      ],
      [
        'listChanges',
        (c: StarmileClient) => c.listChanges({ since: 'c_42', limit: 10 }),
        'GET /api/v1/partner/changes?since=c_42&limit=10',
        undefined,
      ],
      [
        'listChanges from now',
        (c: StarmileClient) => c.listChanges({ since: 'now' }),
        'GET /api/v1/partner/changes?since=now',
        undefined,
      ],
      [
        'listChanges with a cursor to escape',
        (c: StarmileClient) => c.listChanges({ since: 'c 1&x', limit: 5 }),
        'GET /api/v1/partner/changes?since=c%201%26x&limit=5',
        undefined,
      ],
      [
        'listChanges without a cursor',
        (c: StarmileClient) => c.listChanges({ limit: 5 }),
        'GET /api/v1/partner/changes?limit=5',
        undefined,
      ],
      [
        'reportEvent',
        (c: StarmileClient) => c.reportEvent(examples.reportEvent()),
        'POST /api/v1/partner/events',
        examples.reportEvent(),
      ],
    ])('%s sends %s', async (_name, call, want, body) => {
      const { client, api } = setup({ [want.split('?')[0]!]: [ok] });
      await call(client);
      const sent = api();
      expect(sent.map((s) => `${s.method} ${s.path}${s.search}`)).toEqual([want]);
      expect(sent[0]?.body === undefined ? undefined : JSON.parse(sent[0].body)).toEqual(body);
    });

    it('passes an abort signal through', async () => {
      const { client } = setup({ 'GET /api/v1/services': [ok] });
      const controller = new AbortController();
      controller.abort(new Error('stop'));
      await expect(client.listServices({ signal: controller.signal })).rejects.toThrow('stop');
    });

    it('passes headers through beside its own', async () => {
      const { client, api } = setup({ 'POST /api/v1/orders/PO-1/cancel': [ok] });
      await client.cancelOrder('PO-1', { reason: 'late' }, { headers: { 'X-Trace': 't1' } });
      expect(api()[0]?.headers).toMatchObject({
        'x-trace': 't1',
        authorization: 'Bearer tok-1',
        'content-type': 'application/json',
      });
    });
  });

  // openapi-fetch's reading with parseAs 'json', as the README promises it: an error with an empty body has error ===
  // undefined.
  describe('what a call answers', () => {
    it.each([
      ['a JSON body', { status: 200, body: { data: [] } }, { data: { data: [] }, status: 200 }],
      [
        'a JSON body with its Content-Length',
        { status: 200, raw: '{"data":[]}', headers: { 'Content-Length': '11' } },
        { data: { data: [] }, status: 200 },
      ],
      [
        'a JSON error',
        { status: 409, body: { message: 'The order has moved past its first step.' } },
        { error: { message: 'The order has moved past its first step.' }, status: 409 },
      ],
      ['an empty success', { status: 204 }, { data: undefined, status: 204 }],
      ['an empty error', { status: 404, headers: { 'Content-Length': '0' } }, { error: undefined, status: 404 }],
      [
        'a text error',
        { status: 502, raw: 'Bad gateway', headers: { 'Content-Type': 'text/plain' } },
        { error: 'Bad gateway', status: 502 },
      ],
    ] as [string, Answer, { data?: unknown; error?: unknown; status: number }][])('%s', async (_name, answer, want) => {
      const { client } = setup({ 'GET /api/v1/orders/PO-1': [answer] });
      const { response, ...result } = await client.getOrder('PO-1');
      expect({ ...result, status: response.status }).toStrictEqual(want);
    });

    it.each([
      ['with its Content-Length', { 'Content-Type': 'text/html', 'Content-Length': '6' }],
      ['without a length', { 'Content-Type': 'text/html' }],
    ])('a 200 that is not JSON, %s, rejects the call', async (_name, headers) => {
      const { client } = setup({ 'GET /api/v1/orders/PO-1': [{ status: 200, raw: '<html>', headers }] });
      await expect(client.getOrder('PO-1')).rejects.toBeInstanceOf(SyntaxError);
    });
  });

  describe('changePages', () => {
    const page = (ids: string[], next: string, hasMore: boolean) => {
      const base = examples.changes();
      const entry = base.data[0]!;
      return { status: 200, body: { data: ids.map((id) => ({ ...entry, id })), next_cursor: next, has_more: hasMore } };
    };

    it('follows next_cursor until has_more is false and returns the cursor to store', async () => {
      const { client, api } = setup({
        'GET /api/v1/partner/changes': [
          page(['a', 'b'], 'c_2', true),
          page(['c'], 'c_3', true),
          page([], 'c_3', false),
        ],
      });
      const pages = client.changePages({ since: 'c_0', limit: 2 });
      const seen: string[] = [];
      let step = await pages.next();
      while (!step.done) {
        seen.push(...step.value.data.map((c) => c.id));
        step = await pages.next();
      }
      expect(seen).toEqual(['a', 'b', 'c']);
      expect(step.value).toBe('c_3');
      expect(api().map((s) => s.search)).toEqual(['?since=c_0&limit=2', '?since=c_2&limit=2', '?since=c_3&limit=2']);
    });

    it("since: 'now' yields the one empty page at the feed's end and returns its cursor", async () => {
      const { client, api } = setup({ 'GET /api/v1/partner/changes': [page([], 'c_end', false)] });
      const pages = client.changePages({ since: 'now' });
      const first = await pages.next();
      expect(first).toEqual({ done: false, value: { data: [], next_cursor: 'c_end', has_more: false } });
      expect(await pages.next()).toEqual({ done: true, value: 'c_end' });
      expect(api().map((s) => s.search)).toEqual(['?since=now']);
    });

    it('throws the API answer when a page is refused', async () => {
      const refused = { message: 'since is not a cursor this feed issued', errors: { since: ['unknown cursor'] } };
      const { client } = setup({ 'GET /api/v1/partner/changes': [{ status: 422, body: refused }] });
      const failure = await client
        .changePages({ since: 'bogus' })
        .next()
        .catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(StarmileResponseError);
      expect((failure as StarmileResponseError).error).toEqual(refused);
      expect((failure as StarmileResponseError).response.status).toBe(422);
    });
  });
});

describe('middleware the caller adds', () => {
  it('sees the named methods too, until ejected', async () => {
    const observed = observedFetch({ 'GET /api/v1/services': [{ status: 200, body: { data: [] } }] });
    const client = testClient(observed.fetch);
    const tenant = {
      onRequest({ request }: { request: Request }) {
        request.headers.set('X-Tenant', 'acme');
        return request;
      },
    };
    const tenants = () =>
      observed.seen.filter((s) => s.path === '/api/v1/services').map((s) => s.headers['x-tenant'] ?? null);
    await client.listServices();
    client.use(tenant);
    await client.listServices();
    client.eject(tenant);
    await client.listServices();
    expect(tenants()).toEqual([null, 'acme', null]);
  });
});
