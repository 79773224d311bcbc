// The one way the sandbox tests talk to it: every response is checked against the specs (documented status, JSON, body
// schema, declared headers).
import { expect } from 'vitest';
import { type ApiName, loadSpec, toFieldErrors, validatorAt } from '../../contract/index.ts';
import { loadFixtures } from '../src/fixtures.ts';
import { type RunningSandbox, type SandboxOptions, startSandbox } from '../src/server.ts';
import { STARSHIP_PREFIX } from '../src/starship/prefix.ts';
import { services } from './roles.ts';

export const fixtures = loadFixtures();
export const secretOf = (clientId: string) => {
  const credential = fixtures.credentials.find((c) => c.client_id === clientId);
  if (!credential) throw new Error(`no fixture credential ${clientId}`);
  return credential.client_secret;
};

interface Operation {
  api: ApiName;
  template: string;
  method: string;
  pattern: RegExp;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  op: Record<string, any>;
}

// The Starship API is served under its server's path prefix; its spec's paths are relative to it.
const mountedAt = (api: ApiName) => (api === 'starship-rewards' ? STARSHIP_PREFIX : '');

const operations: Operation[] = (['starmile-partner', 'sandbox-admin', 'starship-rewards'] as const).flatMap((api) =>
  Object.entries(loadSpec(api).paths as Record<string, Record<string, unknown>>).flatMap(([template, item]) =>
    Object.entries(item)
      .filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map(([method, op]) => ({
        api,
        template,
        method: method.toUpperCase(),
        pattern: new RegExp(`^${mountedAt(api)}${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
        op: op as Record<string, unknown>,
      })),
  ),
);

/** The response object (following a $ref into components/responses) and the pointer to it. */
function responsePointer(o: Operation, status: string): string[] {
  const response = o.op.responses[status];
  if (response.$ref) return (response.$ref as string).slice(2).split('/');
  return ['paths', o.template, o.method.toLowerCase(), 'responses', status];
}

let checked = 0;
/** How many responses the checker has validated in this process (so a test can show the checker ran). */
export const checkedResponses = () => checked;

/** Throws unless the response is one the spec documents for this request, in every respect the spec states. */
export function checkResponse(method: string, pathname: string, status: number, headers: Headers, body: unknown): void {
  const type = headers.get('content-type') ?? '';
  expect(type, `${method} ${pathname} -> ${status}: content type`).toMatch(/^application\/json\b/);
  const matches = operations.filter((o) => o.pattern.test(pathname));
  const o = matches.find((m) => m.method === method);
  const errorSchema = validatorAt('starmile-partner', 'components', 'schemas', 'Error');
  if (!o) {
    // Outside the contract: only 404 (no such path) and 405 (no such method) exist, with the error body.
    expect(status, `${method} ${pathname}: undocumented route`).toBe(matches.length ? 405 : 404);
    expect(errorSchema(body), JSON.stringify(toFieldErrors(errorSchema.errors))).toBe(true);
    checked++;
    return;
  }
  const documented = Object.keys(o.op.responses);
  expect(
    documented,
    `${o.op.operationId}: status ${status} is not documented (body ${JSON.stringify(body)?.slice(0, 300)})`,
  ).toContain(String(status));
  const pointer = responsePointer(o, String(status));
  const validate = validatorAt(o.api, ...pointer, 'content', 'application/json', 'schema');
  const ok = validate(body);
  expect(
    ok,
    `${o.op.operationId} ${status} body ${JSON.stringify(body)?.slice(0, 300)}: ${JSON.stringify(toFieldErrors(validate.errors))}`,
  ).toBe(true);
  const response = pointer.reduce((node: Record<string, any>, key) => node[key], loadSpec(o.api));
  for (const [name, header] of Object.entries(
    (response.headers ?? {}) as Record<string, { schema?: object; $ref?: string }>,
  )) {
    const value = headers.get(name);
    if (value === null) continue;
    const headerPointer = header.$ref
      ? [...header.$ref.slice(2).split('/'), 'schema']
      : [...pointer, 'headers', name, 'schema'];
    const schema = validatorAt(o.api, ...headerPointer);
    const typed =
      /^\d+$/.test(value) && (schema.schema as { type?: string }).type === 'integer' ? Number(value) : value;
    expect(schema(typed), `${o.op.operationId} ${status} header ${name}: ${value}`).toBe(true);
  }
  checked++;
}

export interface Sent {
  method?: string;
  token?: string;
  json?: unknown;
  body?: string | Buffer;
  headers?: Record<string, string>;
}

export interface Got {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** The largest page of the status pool, as the spec states it. */
const MAX_PAGE: number = loadSpec('starmile-partner').components.parameters.Limit.schema.maximum;

/** A running sandbox and a checked HTTP client for it, with token caching per client_id. */
export class Harness {
  private readonly tokens = new Map<string, string>();
  private constructor(readonly sandbox: RunningSandbox) {}

  static async start(options: SandboxOptions = {}): Promise<Harness> {
    return new Harness(await startSandbox({ port: 0, host: '127.0.0.1', ...options }));
  }

  get state() {
    return this.sandbox.state;
  }

  close(): Promise<void> {
    return this.sandbox.close();
  }

  async call(path: string, sent: Sent = {}): Promise<Got> {
    const method = sent.method ?? (sent.json !== undefined || sent.body !== undefined ? 'POST' : 'GET');
    const headers: Record<string, string> = { ...sent.headers };
    if (sent.token !== undefined) headers.authorization ??= `Bearer ${sent.token}`;
    let body: string | Buffer | undefined = sent.body;
    if (sent.json !== undefined) {
      body = JSON.stringify(sent.json);
      headers['content-type'] ??= 'application/json';
    }
    const payload = typeof body === 'string' || body === undefined ? body : new Uint8Array(body);
    const response = await fetch(`${this.sandbox.url}${path}`, {
      method,
      headers,
      ...(payload === undefined ? {} : { body: payload }),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(`${method} ${path} -> ${response.status}: body is not JSON: ${text.slice(0, 200)}`);
    }
    checkResponse(method, new URL(path, 'http://x').pathname, response.status, response.headers, parsed);
    return { status: response.status, headers: response.headers, body: parsed };
  }

  /** A bearer token of a fixture credential (optionally narrowed), fetched once and reused. */
  async token(clientId: string, scope?: string): Promise<string> {
    const key = `${clientId} ${scope ?? ''}`;
    const cached = this.tokens.get(key);
    if (cached) return cached;
    const got = await this.call('/oauth/token', {
      json: {
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: secretOf(clientId),
        ...(scope ? { scope } : {}),
      },
    });
    expect(got.status).toBe(200);
    this.tokens.set(key, got.body.access_token);
    return got.body.access_token;
  }

  forgetTokens(): void {
    this.tokens.clear();
  }

  /** Creates an order and asserts 201. */
  async createOrder(body: Record<string, unknown>, clientId = 'sm_test_full'): Promise<Got> {
    const got = await this.call('/api/v1/orders', { token: await this.token(clientId), json: body });
    expect(got.status, JSON.stringify(got.body)).toBe(201);
    return got;
  }

  /** updateParcel: PATCHes one parcel of an order, each named as the path may name it (reference or tracking number). */
  updateParcel(token: string, order: string, parcel: string, json: unknown): Promise<Got> {
    return this.call(`/api/v1/orders/${order}/parcels/${parcel}`, { method: 'PATCH', token, json });
  }

  async changes(clientId = 'sm_test_full', since?: string, limit?: number): Promise<Got> {
    const query = new URLSearchParams();
    if (since !== undefined) query.set('since', since);
    if (limit !== undefined) query.set('limit', String(limit));
    const got = await this.call(`/api/v1/partner/changes${query.size ? `?${query}` : ''}`, {
      token: await this.token(clientId),
    });
    expect(got.status, JSON.stringify(got.body)).toBe(200);
    return got;
  }

  /** Every status-pool entry a credential can see, paging through the whole feed. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async allChanges(clientId = 'sm_test_full'): Promise<any[]> {
    const all = [];
    let since: string | undefined;
    for (let page = 0; page < 1000; page++) {
      const got = await this.changes(clientId, since, MAX_PAGE);
      all.push(...got.body.data);
      since = got.body.next_cursor;
      if (!got.body.has_more) return all;
    }
    throw new Error('feed did not end within 1000 pages');
  }
}

/** A sandbox and a token of `clientId`, for the tests of one file to share (close it after them). */
export async function startWithToken(clientId = 'sm_test_full'): Promise<{ h: Harness; token: string }> {
  const h = await Harness.start();
  return { h, token: await h.token(clientId) };
}

/** Runs `run` against a sandbox of its own (started with `options`), closed after it whatever happens. */
export async function withFreshSandbox<T>(
  ...args: [run: (h: Harness) => Promise<T>] | [options: SandboxOptions, run: (h: Harness) => Promise<T>]
): Promise<T> {
  const [options, run] = args.length === 1 ? [{}, args[0]] : args;
  const h = await Harness.start(options);
  try {
    return await run(h);
  } finally {
    await h.close();
  }
}

let counter = 0;
/** A reference unique in this process, so tests sharing one sandbox never collide. */
export const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

/** A valid home-delivery order (mapped pair 1/2) with one parcel. */
export function homeOrder(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    service_id: services.homeDelivery,
    order_id: unique('PO'),
    customer_name: 'Aysel M.',
    parent_region: '1',
    region: '2',
    address_first: 'Nizami 10',
    parcels: [
      {
        item_id: unique('PKG'),
        weight_grams: 1400,
        products: [{ name: 'Sneakers', declared_value: 120, currency: 'USD' }],
      },
    ],
    ...overrides,
  };
}

export function clearanceOrder(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    service_id: services.clearance,
    order_id: unique('PO'),
    parcels: [{ item_id: unique('PKG') }],
    ...overrides,
  };
}
