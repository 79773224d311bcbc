// createStarmileClient: the typed openapi-fetch client for the Starmile Partner API, with its token handling, safe
// retries and one named method per operation.
import createClient, { type Client, type FetchResponse } from 'openapi-fetch';
import { authRetryMiddleware } from './middleware.js';
import { type RetryOptions, retryPolicy } from './retry.js';
import type { components, operations, paths } from './schema.js';
import { createTokenSource } from './token.js';

type Schemas = components['schemas'];

export interface StarmileClientOptions {
  /** The API host, e.g. `https://api.starmile.io` or the sandbox `http://localhost:4020`. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Ask for fewer scopes than the credential holds; omitted, the token carries all of them. */
  scopes?: readonly string[];
  /** Defaults to the global `fetch`; pass one to observe, proxy or polyfill requests. */
  fetch?: typeof globalThis.fetch;
  retry?: RetryOptions;
  /** Milliseconds since the epoch; inject a clock to test token expiry. */
  now?: () => number;
}

/** What every named method accepts besides its operation's own inputs. */
export type CallOptions = {
  signal?: AbortSignal;
  headers?: Record<string, string>;
};

/**
 * The status pool's query, as the spec types it: `since` is the `next_cursor` of the previous page, or `'now'`
 * to start at the feed's current end (API 2.0.0); omitted, the feed starts at its oldest retained entry.
 * `limit` is the page size, within the bounds and with the default the spec's `Limit` parameter states.
 */
export type ChangesQuery = NonNullable<operations['listChanges']['parameters']['query']>;

/** A page of the status pool could not be read: `error` and `response` are what the API answered. */
export class StarmileResponseError extends Error {
  override readonly name = 'StarmileResponseError';
  constructor(
    readonly error: unknown,
    readonly response: Response,
  ) {
    super(`Starmile answered ${response.status} ${response.statusText}`.trim());
  }
}

type Result<Op extends keyof operations> = Promise<FetchResponse<operations[Op], CallOptions, 'application/json'>>;

/** One method per operationId, each answering `{ data, error, response }` typed from the spec. */
export interface StarmileOperations {
  listServices(init?: CallOptions): Result<'listServices'>;
  listRates(init?: CallOptions): Result<'listRates'>;
  /** Never retried after a 429/503: a repeat could create the order twice. */
  createOrder(body: Schemas['CreateOrderRequest'], init?: CallOptions): Result<'createOrder'>;
  getOrder(orderId: string, init?: CallOptions): Result<'getOrder'>;
  updateParcel(
    orderId: string,
    itemId: string,
    body: Schemas['UpdateParcelRequest'],
    init?: CallOptions,
  ): Result<'updateParcel'>;
  /** Retried after a 429/503 like a read: cancelling twice changes nothing. */
  cancelOrder(orderId: string, body?: Schemas['CancelOrderRequest'], init?: CallOptions): Result<'cancelOrder'>;
  listChanges(query?: ChangesQuery, init?: CallOptions): Result<'listChanges'>;
  reportEvent(event: Schemas['PartnerEvent'], init?: CallOptions): Result<'reportEvent'>;
  /**
   * The status pool page by page from `since`, until a page says `has_more: false`. Store each page's
   * `next_cursor` once its entries are processed; the generator's return value is the last cursor.
   * `{ since: stored ?? 'now' }` starts a consumer with no cursor yet at the feed's end: one empty page,
   * and its cursor is returned, whatever the length of the history. A page the API refuses throws a
   * StarmileResponseError (a server older than 2.0.0 refuses `'now'` with 422 naming `since`).
   */
  changePages(
    query?: ChangesQuery,
    init?: CallOptions,
  ): AsyncGenerator<Schemas['ChangeList'], string | undefined, void>;
}

/** The openapi-fetch client (`GET`, `POST`, `use`, ...) plus the named methods. */
export type StarmileClient = Client<paths> & StarmileOperations;

export function createStarmileClient(options: StarmileClientOptions): StarmileClient {
  const fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const now = options.now ?? Date.now;
  const tokens = createTokenSource({
    baseUrl: options.baseUrl,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    scopes: options.scopes,
    fetch,
    now,
  });
  const recovery = { tokens, retry: retryPolicy(options.retry), now };
  const api = createClient<paths>({ baseUrl: options.baseUrl, fetch });
  api.use(authRetryMiddleware(recovery));

  // Every named method is a typed openapi-fetch call, so the caller's middleware sees it like any `GET` or `POST`.
  const client: StarmileClient = {
    ...api,
    listServices: (init = {}) => api.GET('/api/v1/services', init),
    listRates: (init = {}) => api.GET('/api/v1/rates', init),
    createOrder: (body, init = {}) => api.POST('/api/v1/orders', { ...init, body }),
    getOrder: (orderId, init = {}) =>
      api.GET('/api/v1/orders/{order_id}', { ...init, params: { path: { order_id: orderId } } }),
    updateParcel: (orderId, itemId, body, init = {}) =>
      api.PATCH('/api/v1/orders/{order_id}/parcels/{item_id}', {
        ...init,
        params: { path: { order_id: orderId, item_id: itemId } },
        body,
      }),
    cancelOrder: (orderId, body, init = {}) =>
      api.POST('/api/v1/orders/{order_id}/cancel', {
        ...init,
        params: { path: { order_id: orderId } },
        ...(body ? { body } : {}),
      }),
    listChanges: (query = {}, init = {}) =>
      api.GET('/api/v1/partner/changes', { ...init, params: { query: { ...query } } }),
    reportEvent: (event, init = {}) => api.POST('/api/v1/partner/events', { ...init, body: event }),

    async *changePages(query = {}, init = {}) {
      let since = query.since;
      for (;;) {
        const { data, error, response } = await client.listChanges(
          { ...query, ...(since === undefined ? {} : { since }) },
          init,
        );
        if (!data) throw new StarmileResponseError(error, response);
        yield data;
        since = data.next_cursor;
        if (!data.has_more) return since;
      }
    },
  };
  return client;
}
