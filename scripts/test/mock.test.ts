// The Prism mock (`npm run mock`) answers every curl of the source documents with the documented status,
// and every named response example of every API's spec is reachable with `Prefer: code=..., example=...`.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ApiName, loadSpec, validatorAt } from '../../contract/index.ts';
import { listApis, repoRoot } from '../lib/apis.mjs';
import { allDocumentSamples } from '../lib/doc-samples.mjs';
import { parseCurls } from '../lib/docs-curl.mjs';
import { defaultCodes } from '../lib/mock-defaults.mjs';
import { sharedSeedsDir, vendoredSeedsDir } from '../lib/seeds.mjs';

const API: ApiName = 'starmile-partner';
const spec = loadSpec(API);
/** The longest cancellation reason the spec allows. */
const MAX_REASON = spec.components.schemas.CancelOrderRequest.properties.reason.maxLength as number;
const APIS = listApis()
  .filter((api) => existsSync(join(api.dir, 'openapi.json')))
  .map((api) => api.name as ApiName);
const DOCUMENTED_HOST = 'https://api.starmile.io';
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

type Curl = { method: string; url: string; headers: Record<string, string>; body?: string };

const seedsDir = existsSync(sharedSeedsDir) ? sharedSeedsDir : vendoredSeedsDir;
const seedCurls = (prefix: string) => {
  const file = readdirSync(seedsDir).find((f) => f.startsWith(prefix))!;
  return parseCurls(readFileSync(join(seedsDir, file), 'utf8'));
};

/** The path template and operation a concrete request path belongs to. */
function operationOf(method: string, path: string) {
  for (const [template, item] of Object.entries(spec.paths as Record<string, Record<string, any>>)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    const op = item[method.toLowerCase()];
    if (op && pattern.test(path)) return { template, op };
  }
  throw new Error(`no operation for ${method} ${path}`);
}

/** A JSON pointer into the spec with every `$ref` on the way followed, so Ajv can compile it. */
function resolvedPointer(api: ApiName, ...segments: string[]): string[] {
  const spec = loadSpec(api);
  let path: string[] = [];
  let node: any = spec;
  for (const segment of segments) {
    while (node?.$ref) {
      path = node.$ref
        .slice(2)
        .split('/')
        .map((s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
      node = path.reduce((n: any, s) => n[s], spec);
    }
    node = node?.[segment];
    if (node === undefined) throw new Error(`nothing at ${[...path, segment].join('/')}`);
    path = [...path, segment];
  }
  return path;
}
const deref = (api: ApiName, node: any): any =>
  node?.$ref
    ? deref(
        api,
        node.$ref
          .slice(2)
          .split('/')
          .reduce((n: any, s: string) => n[s.replace(/~1/g, '/').replace(/~0/g, '~')], loadSpec(api)),
      )
    : node;

function expectBodyMatches(api: ApiName, template: string, method: string, status: number, body: unknown) {
  const validate = validatorAt(
    api,
    ...resolvedPointer(
      api,
      'paths',
      template,
      method.toLowerCase(),
      'responses',
      String(status),
      'content',
      'application/json',
      'schema',
    ),
  );
  expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
}

let mock: ChildProcess;
/** The mock's base URL per API: each API is served on a port of its own. */
const baseUrls = new Map<string, string>();
let output = '';

beforeAll(async () => {
  // Its own process group, so the cleanup also reaches Prism should the wrapper die first.
  mock = spawn(
    process.execPath,
    [join(repoRoot, 'scripts', 'mock.mjs'), '--port', '0', ...APIS.flatMap((api) => ['--api', api])],
    {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mock did not start within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      for (const [, api, url] of output.matchAll(/mock (\S+) listening on (http:\/\/127\.0\.0\.1:\d+)/g))
        baseUrls.set(api!, url!);
      if (!APIS.every((api) => baseUrls.has(api))) return;
      clearTimeout(timer);
      resolve();
    };
    mock.stdout!.on('data', onData);
    mock.stderr!.on('data', onData);
    mock.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mock exited (${code}):\n${output}`));
    });
  });
}, 40_000);

afterAll(async () => {
  if (!mock?.pid || mock.exitCode !== null) return;
  const exited = new Promise((resolve) => mock.once('exit', resolve));
  process.kill(-mock.pid, 'SIGTERM');
  const timer = setTimeout(() => mock.exitCode === null && process.kill(-mock.pid!, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
});

async function send(curl: Curl, token: string, extraHeaders: Record<string, string> = {}, api: ApiName = API) {
  const url = new URL(curl.url.replace(DOCUMENTED_HOST, baseUrls.get(api)!));
  const headers = Object.fromEntries(
    Object.entries(curl.headers).map(([k, v]) => [k, v.replace('<access_token>', token)]),
  );
  const body = curl.body
    ?.replace('<your client id>', 'sm_test_full')
    .replace('<your client secret>', 'sandbox-secret-full');
  const response = await fetch(url, {
    method: curl.method,
    headers: { ...headers, ...extraHeaders },
    ...(body === undefined ? {} : { body }),
  });
  return { url, response, json: (await response.json()) as any };
}

/**
 * What each documented curl must get: [seed, "METHOD path", status, why]. A new curl in a seed fails the test until
 * listed.
 */
const expectations: [string, string, number, string][] = [
  ['002', 'POST /oauth/token', 200, 'quick start 1: token'],
  ['002', 'GET /api/v1/services', 200, 'quick start 2: services'],
  [
    '002',
    'POST /api/v1/orders',
    422,
    'quick start 3: the stale shape (external_parent_id, items) is rejected, decision D4',
  ],
  ['003', 'GET /api/v1/services', 200, 'list services'],
  ['003', 'GET /api/v1/rates', 200, 'list rates'],
  ['001', 'POST /api/v1/orders', 201, 'create an order'],
  ['001', 'PATCH /api/v1/orders/PO-10294/parcels/PKG-1', 200, 'update a parcel'],
  ['001', 'POST /api/v1/orders/PO-10294/cancel', 200, 'cancel an order'],
];

describe('npm run mock: the documented curl examples', () => {
  let token = '';
  const curls = { '002': seedCurls('002'), '003': seedCurls('003'), '001': seedCurls('001') };

  test('the seeds hold exactly the curls this test replays', () => {
    const found = Object.entries(curls).flatMap(([seed, list]) =>
      list.map((c) => [seed, `${c.method} ${new URL(c.url).pathname}`]),
    );
    expect(found).toEqual(expectations.map(([seed, request]) => [seed, request]));
    expect(curls['002'].every((c) => c.url.startsWith(DOCUMENTED_HOST))).toBe(true);
  });

  test.each(expectations.map((e, i) => [e[3], e, i] as const))('%s', async (_why, [seed, , status], i) => {
    const index = expectations.slice(0, i).filter(([s]) => s === seed).length;
    const curl = curls[seed as keyof typeof curls][index]!;
    const { url, response, json } = await send(curl, token);
    expect(response.status, JSON.stringify(json)).toBe(status);
    const { template } = operationOf(curl.method, url.pathname);
    expectBodyMatches(API, template, curl.method, status, json);
    if (template === '/oauth/token') token = json.access_token;
    if (status === 422) {
      // Prism names the request violations; the stale quick-start fields must be among them.
      const violations = response.headers.get('sl-violations') ?? '';
      expect(violations).toContain("'external_parent_id'");
      expect(violations).toContain("'items'");
    }
  });

  test('the quick-start order, corrected to order_id + parcels[] (D4), is created (201) and equals the spec example', async () => {
    const stale = curls['002'][2]!;
    const old = JSON.parse(stale.body!);
    const corrected = {
      service_id: old.service_id,
      order_id: old.external_parent_id,
      parcels: old.items.map((item: { merchant_tracking_number: string }) => ({
        merchant_tracking: item.merchant_tracking_number,
      })),
    };
    // The same order with an order_id of its own: the documents use PO-10294 for the home delivery order too.
    expect({ ...corrected, order_id: 'PO-10297' }).toEqual(
      spec.components.examples.CreateOrderQuickStartRequestExample.value,
    );
    const { response, json } = await send({ ...stale, body: JSON.stringify(corrected) }, token || 'any');
    expect(response.status, JSON.stringify(json)).toBe(201);
    expectBodyMatches(API, '/api/v1/orders', 'post', 201, json);
  });
});

/** One valid request per operation, from the spec's own parameter and request-body examples. */
function sampleRequest(api: ApiName, template: string, method: string, op: any): Curl {
  const spec = loadSpec(api);
  const params = [...(spec.paths[template].parameters ?? []), ...(op.parameters ?? [])].map((p) => deref(api, p));
  const path = template.replace(/\{([^}]+)\}/g, (_, name) =>
    encodeURIComponent(params.find((p: any) => p.name === name).example),
  );
  const headers: Record<string, string> = {};
  const secured = (op.security ?? spec.security ?? []).every(
    (requirement: object) => Object.keys(requirement).length > 0,
  );
  if (secured && (op.security ?? spec.security ?? []).length) headers.authorization = 'Bearer mock-token';
  let body: string | undefined;
  const json = op.requestBody && deref(api, op.requestBody).content['application/json'];
  if (json) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(deref(api, Object.values(json.examples)[0]).value);
  }
  return {
    method: method.toUpperCase(),
    url: `${DOCUMENTED_HOST}${path}`,
    headers,
    ...(body === undefined ? {} : { body }),
  };
}

const operationsOf = (api: ApiName) =>
  Object.entries(loadSpec(api).paths as Record<string, Record<string, any>>).flatMap(([template, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ template, method, op })),
  );

const namedExamples = APIS.flatMap((api) =>
  operationsOf(api).flatMap(({ template, method, op }) =>
    Object.entries(op.responses as Record<string, any>).flatMap(([status, response]) =>
      Object.entries(deref(api, response).content?.['application/json']?.examples ?? {}).map(([name, example]) => ({
        id: `${api} ${op.operationId} ${status} ${name}`,
        api,
        template,
        method,
        op,
        status: Number(status),
        headers: deref(api, response).headers ?? {},
        name,
        value: deref(api, example).value,
      })),
    ),
  ),
);

describe('npm run mock: every named response example is reachable with Prefer', () => {
  test('the mock serves every API of redocly.yaml', () => {
    expect(APIS).toContain(API);
    expect([...baseUrls.keys()].sort()).toEqual([...APIS].sort());
  });

  test.each(APIS)('%s: every documented response of every operation has a named example', (api) => {
    const bare = operationsOf(api).flatMap(({ template, op }) =>
      Object.keys(op.responses)
        .filter((status) => !namedExamples.some((e) => e.op === op && String(e.status) === status))
        .map((status) => `${op.operationId} ${status} (${template})`),
    );
    expect(bare).toEqual([]);
  });

  test.each(namedExamples.map((e) => [e.id, e] as const))('%s', async (_id, e) => {
    const request = sampleRequest(e.api, e.template, e.method, e.op);
    const { response, json } = await send(
      request,
      'mock-token',
      { prefer: `code=${e.status}, example=${e.name}` },
      e.api,
    );
    expect(response.status, JSON.stringify(json)).toBe(e.status);
    expect(json).toEqual(e.value);
    expectBodyMatches(e.api, e.template, e.method, e.status, json);
    // Prism fills headers from their examples; one without an example would come back as "string".
    for (const [name, header] of Object.entries(e.headers as Record<string, any>)) {
      const value = response.headers.get(name);
      expect(value, `${name} header`).not.toBeNull();
      const schema = deref(e.api, deref(e.api, header).schema);
      const typed = schema.type === 'integer' ? Number(value) : value;
      if (schema.pattern) expect(typed, `${name} header`).toMatch(new RegExp(schema.pattern));
      if (schema.const !== undefined) expect(typed, `${name} header`).toBe(schema.const);
      if (schema.type === 'integer') expect(Number.isInteger(typed), `${name} header is an integer`).toBe(true);
    }
  });
});

describe('npm run mock without a Prefer header gives the ordinary answers', () => {
  const operations = APIS.flatMap((api) => operationsOf(api).map((o) => ({ api, ...o })));

  test.each(APIS)('%s: an operation with several successes names its ordinary one (x-default-status)', (api) => {
    expect(() => defaultCodes(loadSpec(api))).not.toThrow();
  });

  test.each(operations.map((o) => [`${o.api} ${o.op.operationId}`, o] as const))(
    '%s: its ordinary success and first example',
    async (_id, { api, template, method, op }) => {
      const success = Object.keys(op.responses)
        .filter((code) => /^2\d\d$/.test(code))
        .sort();
      const ordinary = op['x-default-status'] ?? success[0];
      const { response, json } = await send(sampleRequest(api, template, method, op), 'mock-token', {}, api);
      expect(response.status, JSON.stringify(json)).toBe(Number(ordinary));
      const examples = deref(api, op.responses[ordinary]).content?.['application/json']?.examples ?? {};
      expect(json).toEqual(deref(api, Object.values(examples)[0]).value);
    },
  );

  test('a new event is accepted (202), not reported as a duplicate', async () => {
    const op = loadSpec(API).paths['/api/v1/partner/events'].post;
    const { response, json } = await send(sampleRequest(API, '/api/v1/partner/events', 'post', op), 'mock-token');
    expect(response.status).toBe(202);
    expect(json.data.duplicate).toBe(false);
  });

  /**
   * [request, status, the fields the answer must name]: a body or query that breaks the schema gets a generic
   * validation answer.
   */
  const invalid: [string, Curl, number, string[]][] = [
    [
      'createOrder: the stale quick-start body (D4)',
      {
        method: 'POST',
        url: `${DOCUMENTED_HOST}/api/v1/orders`,
        headers: { 'content-type': 'application/json' },
        body: '{"service_id":5,"external_parent_id":"PO-10294","items":[{"merchant_tracking_number":"TRK-1"}]}',
      },
      422,
      ['external_parent_id', 'items'],
    ],
    [
      'reportEvent: no occurred_at',
      {
        method: 'POST',
        url: `${DOCUMENTED_HOST}/api/v1/partner/events`,
        headers: { 'content-type': 'application/json' },
        body: '{"event_id":"evt-1","type":"parcel.received","parcel_id":"SP7700000001"}',
      },
      422,
      ['occurred_at'],
    ],
    [
      'updateParcel: an unknown package_type',
      {
        method: 'PATCH',
        url: `${DOCUMENTED_HOST}/api/v1/orders/PO-10294/parcels/PKG-1`,
        headers: { 'content-type': 'application/json' },
        body: '{"package_type":"box"}',
      },
      422,
      ['package_type'],
    ],
    [
      `cancelOrder: a reason over ${MAX_REASON} characters`,
      {
        method: 'POST',
        url: `${DOCUMENTED_HOST}/api/v1/orders/PO-10294/cancel`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ reason: 'x'.repeat(MAX_REASON + 1) }),
      },
      422,
      ['reason'],
    ],
  ];
  test.each(invalid)('%s', async (_name, curl, status, fields) => {
    const { response, json } = await send(
      { ...curl, headers: { ...curl.headers, authorization: 'Bearer mock-token' } },
      'mock-token',
    );
    expect(response.status, JSON.stringify(json)).toBe(status);
    expect(Object.keys(json.errors ?? {})).toEqual(expect.arrayContaining(fields));
  });
});

describe("the README's and the guides' commands addressed to the mock", () => {
  const MOCK = 'http://127.0.0.1:4010';
  const curls = allDocumentSamples().flatMap((s) =>
    s.kind === 'curl' && s.curl.url.startsWith(`${MOCK}/`) ? [[`${s.source}:${s.line}`, s.curl] as const] : [],
  );

  test('there are some (the mock guide shows how to ask for an answer)', () => {
    expect(curls.length).toBeGreaterThan(0);
  });

  test.each(curls)('%s', async (_where, curl) => {
    // The status a `Prefer: code=...` asks for, or the operation's ordinary success.
    const response = await fetch(curl.url.replace(MOCK, baseUrls.get(API)!), {
      method: curl.method,
      headers: curl.headers,
      ...(curl.body === undefined ? {} : { body: curl.body }),
    });
    const json = await response.json();
    const asked = /code=(\d{3})/.exec(curl.headers.prefer ?? '')?.[1];
    if (asked) expect(response.status, JSON.stringify(json)).toBe(Number(asked));
    else expect(response.ok, JSON.stringify(json)).toBe(true);
    const example = /example=(\w+)/.exec(curl.headers.prefer ?? '')?.[1];
    if (example) expect(json).toEqual(spec.components.examples[example].value);
  });
});
