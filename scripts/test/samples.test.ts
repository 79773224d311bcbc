// Every sample a reader meets runs, in reading order, against one fresh sandbox: the README's and the guides' curl
// commands and TypeScript blocks, then the reference's code samples (x-codeSamples, made from the spec's examples)
// API by API. Each request must succeed, and an answer a document shows is the answer the sandbox gives (volatile
// values, such as tokens, tracking numbers, cursors and timestamps, matched by shape). A reader runs either the
// curl or the TypeScript tab of a reference sample, so the TypeScript tabs run in a second fresh sandbox, after the
// same README and guides.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as starship from '../../client/src/starship.ts';
import { type ApiName, loadSpec } from '../../contract/index.ts';
import { type RunningSandbox, startSandbox } from '../../sandbox/src/server.ts';
import { listApis, repoRoot } from '../lib/apis.mjs';
import { codeSamples, inReadingOrder, PLACEHOLDERS, sandboxCredentials } from '../lib/code-samples.mjs';
import { allDocumentSamples, type DocSample } from '../lib/doc-samples.mjs';
import { type Curl, parseCurls } from '../lib/docs-curl.mjs';
import { typecheck } from '../lib/typecheck.ts';

const SANDBOX = 'http://localhost:4020';
const MOCK = 'http://127.0.0.1:4010';
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const credentials = sandboxCredentials();
const apis = listApis().map((api) => api.name as ApiName);
const work = mkdtempSync(join(tmpdir(), 'starmile-samples-'));
let modules = 0;
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every operation of every API, by the path the sandbox serves it at (Starship under its server's prefix). */
const routes = apis.flatMap((api) => {
  const spec = loadSpec(api);
  const prefix = new URL(
    (spec.servers ?? [])
      .map((s: any) => s.url.replace(/\{(\w+)\}/g, (_: string, v: string) => s.variables?.[v]?.default ?? ''))
      .find((u: string) => u.includes('localhost')) ?? SANDBOX,
  ).pathname.replace(/\/$/, '');
  return Object.entries(spec.paths as Record<string, Record<string, any>>).flatMap(([template, item]) =>
    METHODS.filter((m) => item[m]).map((m) => ({
      api,
      operationId: item[m].operationId as string,
      method: m.toUpperCase(),
      pattern: new RegExp(`^${prefix}${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    })),
  );
});
const operationOf = (method: string, url: URL) =>
  routes.find((r) => r.method === method && r.pattern.test(url.pathname));

/**
 * Shapes of the values that differ from one run to the next; `identity` values must map one to one between shown and
 * real.
 */
const VOLATILE: { name: string; pattern: RegExp; identity: boolean }[] = [
  { name: 'timestamp', pattern: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, identity: false },
  { name: 'access token', pattern: /^[A-Za-z0-9_-]{43}$/, identity: false },
  { name: 'Starmile tracking number', pattern: /^SM\d{10}$/, identity: true },
  { name: 'parcel id', pattern: /^SP\d{10}$/, identity: true },
  { name: 'change id', pattern: /^chg_\d{12}$/, identity: true },
  { name: 'cursor', pattern: /^c1\.[0-9a-z]+\.[A-Za-z0-9_-]{22}$/, identity: true },
];

interface Exchange {
  method: string;
  url: string;
  status: number;
  body: any;
}

/** A reader working through the samples in order against one sandbox, keeping what earlier answers gave. */
class Reader {
  /** Placeholder values (`<parcel_id>`) from the latest answer that gave each. */
  readonly bag: Record<string, string> = {};
  /** Shell variables set by `NAME=$(curl ...)`. */
  readonly vars: Record<string, string> = {};
  /** Shown volatile identities and the real values they stand for, both ways. */
  readonly shownToReal = new Map<string, string>();
  readonly realToShown = new Map<string, string>();
  last: Exchange | undefined;
  constructor(readonly sandbox: RunningSandbox) {}

  /** Fills `<placeholder>`s and `$VARIABLE`s as a reader would, from earlier answers. */
  fill(text: string): string {
    return text
      .replace(/<([a-z_]+)>/g, (whole, name: string) => {
        if (!(name in PLACEHOLDERS)) return whole;
        const value = this.bag[name];
        if (value === undefined) throw new Error(`${whole} is used before any answer gave it`);
        return value;
      })
      .replace(/\$([A-Z_][A-Z0-9_]*)/g, (whole, name: string) => {
        const value = this.vars[name];
        if (value === undefined) throw new Error(`${whole} is used before a command set it`);
        return value;
      });
  }

  /** Records an answer: the placeholders it gives, and it as the answer a shown response is compared with. */
  record(exchange: Exchange) {
    this.last = exchange;
    const route = operationOf(exchange.method, new URL(exchange.url));
    if (!route || !exchange.body || typeof exchange.body !== 'object') return;
    for (const [name, { from }] of Object.entries(PLACEHOLDERS))
      for (const [api, operationId, pick] of from as [string, string, (b: any) => unknown][])
        if (api === route.api && operationId === route.operationId) {
          const value = pick(exchange.body);
          if (typeof value === 'string') this.bag[name] = value;
        }
  }

  async curl(curl: Curl): Promise<Exchange> {
    if (!curl.url.startsWith(`${SANDBOX}/`))
      throw new Error(`${curl.url}: samples run against the sandbox (${SANDBOX})`);
    const url = this.fill(curl.url).replace(SANDBOX, this.sandbox.url);
    const headers = Object.fromEntries(Object.entries(curl.headers).map(([k, v]) => [k, this.fill(v)]));
    const response = await fetch(url, {
      method: curl.method,
      headers,
      ...(curl.body === undefined ? {} : { body: this.fill(curl.body) }),
    });
    const text = await response.text();
    const exchange = { method: curl.method, url, status: response.status, body: text ? JSON.parse(text) : undefined };
    this.record(exchange);
    if (curl.assign) this.vars[curl.assign.name] = String(exchange.body?.[curl.assign.property]);
    return exchange;
  }

  /**
   * Runs a TypeScript sample as a module: the client imported from its source, `http://localhost:4020` sent to this
   * sandbox, placeholders filled, `context` (what the reader's own application holds) in scope. Every request it
   * makes is recorded.
   */
  async typescript(
    code: string,
    id: string,
    context: Record<string, unknown> = {},
  ): Promise<{ exchanges: Exchange[]; module: Record<string, any> }> {
    const imports = {
      '@starmile/partner-client/starship': join(repoRoot, 'client', 'src', 'starship.ts'),
      '@starmile/partner-client': join(repoRoot, 'client', 'src', 'index.ts'),
    };
    let source = code.replace(
      /from '(@starmile\/partner-client(?:\/starship)?)'/g,
      (_, name: keyof typeof imports) => `from ${JSON.stringify(imports[name])}`,
    );
    source = source.replace(/<([a-z_]+)>/g, (whole, name: string) => (name in PLACEHOLDERS ? this.fill(whole) : whole));
    const names = Object.keys(context);
    const lines = source.split('\n');
    const lastImport = lines.reduce((last, line, i) => (line.startsWith('import ') ? i : last), -1);
    const prelude = [
      `const console = (globalThis as any).__sample.console;`,
      ...(names.length ? [`const { ${names.join(', ')} } = (globalThis as any).__sample.context;`] : []),
    ];
    lines.splice(lastImport + 1, 0, ...prelude);
    // A file per reader and sample: a module imported once is never evaluated again.
    const file = join(work, `${++modules}-${id.replace(/[^\w.-]+/g, '_')}.ts`);
    writeFileSync(file, `${lines.join('\n')}\nexport {};\n`);

    const exchanges: Exchange[] = [];
    const realFetch = globalThis.fetch;
    const sandboxUrl = this.sandbox.url;
    globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(
        typeof input === 'string' && input.startsWith(SANDBOX)
          ? input.replace(SANDBOX, sandboxUrl)
          : input instanceof Request
            ? new Request(input.url.replace(SANDBOX, sandboxUrl), input)
            : String(input).replace(SANDBOX, sandboxUrl),
        init,
      );
      const response = await realFetch(request);
      const text = await response.clone().text();
      const exchange = {
        method: request.method,
        url: request.url,
        status: response.status,
        body: text ? JSON.parse(text) : undefined,
      };
      exchanges.push(exchange);
      this.record(exchange);
      return response;
    };
    (globalThis as any).__sample = { console: { log() {}, info() {}, warn() {}, error() {} }, context };
    try {
      const module = await import(/* @vite-ignore */ pathToFileURL(file).href);
      return { exchanges, module };
    } finally {
      globalThis.fetch = realFetch;
    }
  }

  /** The shown answer against the real one: same structure and values, volatile values of the same shape. */
  compare(shown: unknown, real: unknown, path = '$'): string[] {
    if (typeof shown === 'string' && typeof real === 'string') {
      const shape = VOLATILE.find((v) => v.pattern.test(shown));
      if (!shape)
        return shown === real
          ? []
          : [`${path}: shows ${JSON.stringify(shown)}, the sandbox answers ${JSON.stringify(real)}`];
      if (!shape.pattern.test(real))
        return [`${path}: shows a ${shape.name} (${shown}), the sandbox answers ${JSON.stringify(real)}`];
      if (!shape.identity) return [];
      const stoodFor = this.shownToReal.get(shown);
      if (stoodFor !== undefined && stoodFor !== real)
        return [`${path}: shows ${shown}, which stood for ${stoodFor} earlier; the sandbox answers ${real}`];
      const shownAs = this.realToShown.get(real);
      if (shownAs !== undefined && shownAs !== shown)
        return [`${path}: shows ${shown}; the sandbox answers ${real}, which was shown as ${shownAs} earlier`];
      this.shownToReal.set(shown, real);
      this.realToShown.set(real, shown);
      return [];
    }
    if (Array.isArray(shown) || Array.isArray(real)) {
      if (!Array.isArray(shown) || !Array.isArray(real) || shown.length !== real.length)
        return [`${path}: shows ${JSON.stringify(shown)}, the sandbox answers ${JSON.stringify(real)}`];
      return shown.flatMap((s, i) => this.compare(s, real[i], `${path}[${i}]`));
    }
    if (shown && real && typeof shown === 'object' && typeof real === 'object') {
      const keys = [...new Set([...Object.keys(shown), ...Object.keys(real)])];
      return keys.flatMap((k) =>
        !(k in shown)
          ? [`${path}.${k}: not shown, the sandbox answers ${JSON.stringify((real as any)[k])}`]
          : !(k in real)
            ? [`${path}.${k}: shown, the sandbox does not answer it`]
            : this.compare((shown as any)[k], (real as any)[k], `${path}.${k}`),
      );
    }
    return Object.is(shown, real)
      ? []
      : [`${path}: shows ${JSON.stringify(shown)}, the sandbox answers ${JSON.stringify(real)}`];
  }
}

/**
 * What the reader's own application holds when the lifecycle guide's snippets run: a store, side effects, Starship
 * orders.
 */
async function lifecycleApp(reader: Reader) {
  const headers = { Authorization: `Bearer ${credentials.starshipKey}` };
  const place = async (sku: string, quantity: number) => {
    const response = await fetch(`${reader.sandbox.url}/starship/v1/orders`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ sku, quantity, reference: `guide-${sku}` }),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as starship.Order;
  };
  const orders = {
    instant: await place('AMZ-GC-25-EUR', 2),
    pending: await place('STEAM-50-USD', 1),
    partial: await place('PSN-20-USD', 3),
  };
  const records = new Map<string, starship.LocalOrderRecord>();
  const effects: unknown[][] = [];
  const effect =
    (kind: string) =>
    async (...args: unknown[]) =>
      void effects.push([kind, ...args]);
  return {
    orders,
    effects,
    records,
    context: {
      db: {
        starshipOrders: {
          get: async (id: string) => records.get(id),
          put: async (r: starship.LocalOrderRecord) => void records.set(r.id, r),
          pendingIds: async () => [orders.pending.id],
        },
      },
      vouchers: { release: effect('release'), revoke: effect('revoke') },
      payments: { refundCustomer: effect('refund') },
      ops: { flag: effect('flag') },
      log: { info: effect('log') },
      opsDashboard: { show: effect('show') },
      base: `${SANDBOX}/starship/v1`,
      headers,
      order: orders.instant,
      id: orders.partial.id,
      // Called from inside a sample, so its request goes through the sample's fetch like the snippet's own.
      getOrder: async (id: string) => (await fetch(`${SANDBOX}/starship/v1/orders/${id}`, { headers })).json(),
      onStarshipOrder: async (order: starship.Order) => {
        const { record } = starship.applyOrder(records.get(order.id), order);
        records.set(record.id, record);
      },
    } as Record<string, unknown>,
  };
}
type App = Awaited<ReturnType<typeof lifecycleApp>>;

/**
 * The TypeScript blocks of the guides that use names of the reader's application, in order: which names each
 * takes from the application, which of its own it hands back, and what must hold after it ran.
 */
const HARNESS: {
  source: string;
  marker: RegExp;
  uses: string[];
  exports: string[];
  check(module: Record<string, any>, app: App, reader: Reader): Promise<void> | void;
}[] = [
  {
    source: 'docs/guides/handling-the-order-lifecycle.md',
    marker: /function customerView/,
    uses: [],
    exports: ['customerView'],
    check: (m, { orders }) => {
      expect(m.customerView(orders.instant)).toMatchObject({
        state: 'ready',
        vouchers: [expect.anything(), expect.anything()],
      });
      expect(m.customerView(orders.pending)).toEqual({ state: 'processing' });
      expect(m.customerView(orders.partial)).toMatchObject({ state: 'partly ready' });
    },
  },
  {
    source: 'docs/guides/handling-the-order-lifecycle.md',
    marker: /describeSubStatus\(order\.sub_status\)/,
    uses: ['order', 'log', 'opsDashboard'],
    exports: [],
    check: (_m, { effects, orders }) =>
      expect(effects).toContainEqual(['show', orders.instant.id, expect.stringMatching(/^COMPLETED: /)]),
  },
  {
    source: 'docs/guides/handling-the-order-lifecycle.md',
    marker: /export async function onStarshipWebhook/,
    uses: ['db', 'vouchers', 'payments', 'ops', 'log'],
    exports: [],
    check: async (m, { orders, effects, records }, reader) => {
      // The webhooks the sandbox fired for the instant order, delivered to the reader's handler, twice: the second time
      // changes nothing.
      const log = await (
        await fetch(`${reader.sandbox.url}/_sandbox/starship/webhooks?order_id=${orders.instant.id}`)
      ).json();
      const payloads = log.data.map((d: { payload: unknown }) => d.payload);
      expect(payloads.map((p: { type: string }) => p.type)).toEqual(['order.delivered']);
      for (const payload of [...payloads, ...payloads]) await m.onStarshipWebhook(payload);
      expect(effects.filter(([kind, id]) => kind === 'release' && id === orders.instant.id)).toHaveLength(1);
      expect(records.get(orders.instant.id)?.status).toBe('DELIVERED');
    },
  },
  {
    source: 'docs/guides/handling-the-order-lifecycle.md',
    marker: /applyOrder\(await db\.starshipOrders\.get\(id\), order\)/,
    uses: ['base', 'id', 'headers', 'db'],
    exports: ['order', 'record', 'effects'],
    check: (m, { orders }) => {
      expect(m.order).toMatchObject({ id: orders.partial.id, status: 'PARTIALLY_DELIVERED' });
      expect(m.record.id).toBe(orders.partial.id);
      expect(m.effects).toContainEqual(expect.objectContaining({ type: 'release_vouchers' }));
    },
  },
  {
    source: 'docs/guides/handling-the-order-lifecycle.md',
    marker: /isStuck\(order, Date\.now\(\)\)/,
    uses: ['db', 'getOrder', 'onStarshipOrder', 'ops'],
    exports: [],
    check: (_m, { effects, records, orders }) => {
      expect(records.get(orders.pending.id)?.status).toBe('PENDING');
      expect(effects.filter(([kind]) => kind === 'flag')).toEqual([]); // placed a moment ago: not stuck
    },
  },
  {
    source: 'docs/guides/handling-the-order-lifecycle.md',
    marker: /matchTransition\(\{ status: 'DELIVERED'/,
    uses: [],
    exports: [],
    check: () =>
      expect(
        starship.matchTransition(
          { status: 'DELIVERED', sub_status: 'COMPLETED' },
          { status: 'CANCELLED', sub_status: 'REFUNDED' },
        ),
      ).toMatchObject({ id: 'late-cancel' }),
  },
];

interface Step {
  id: string;
  run(reader: Reader): Promise<void>;
}

const ok = (exchange: Exchange) =>
  `${exchange.method} ${exchange.url} -> ${exchange.status} ${JSON.stringify(exchange.body)}`;

/** The README's and the guides' samples as steps; a curl addressed to the mock is replayed by mock.test.ts instead. */
function documentSteps(): Step[] {
  const apps = new WeakMap<Reader, Promise<App>>();
  const harnessed = new Set<(typeof HARNESS)[number]>();
  const steps = allDocumentSamples()
    .filter((s: DocSample) => !(s.kind === 'curl' && s.curl.url.startsWith(`${MOCK}/`)))
    .map((sample: DocSample): Step => {
      const id = `${sample.source}:${sample.line} ${sample.kind === 'curl' ? `${sample.curl.method} ${sample.curl.url}` : sample.kind}`;
      if (sample.kind === 'curl')
        return {
          id,
          run: async (reader) => {
            const exchange = await reader.curl(sample.curl);
            expect(exchange.status, ok(exchange)).toBeGreaterThanOrEqual(200);
            expect(exchange.status, ok(exchange)).toBeLessThan(300);
          },
        };
      if (sample.kind === 'response')
        return {
          id,
          run: async (reader) => {
            expect(reader.last, 'a shown response follows a request').toBeDefined();
            expect(
              reader.compare(sample.json, reader.last!.body),
              `the answer to ${reader.last!.method} ${reader.last!.url}`,
            ).toEqual([]);
          },
        };
      const harness = HARNESS.find((h) => h.source === sample.source && h.marker.test(sample.code));
      if (harness) harnessed.add(harness);
      return {
        id,
        run: async (reader) => {
          if (!harness && /\b(db|ops|log|vouchers|payments)\./.test(sample.code))
            throw new Error(`${id} uses names of the reader's application: give it a HARNESS entry`);
          const app = harness
            ? await (apps.get(reader) ?? apps.set(reader, lifecycleApp(reader)).get(reader)!)
            : undefined;
          const context = Object.fromEntries((harness?.uses ?? []).map((name) => [name, app!.context[name]]));
          const code = harness?.exports.length
            ? `${sample.code}\nexport { ${harness.exports.join(', ')} };`
            : sample.code;
          const { exchanges, module } = await reader.typescript(code, id, context);
          for (const exchange of exchanges) {
            // A status of 0 (no answer) is not a success either.
            expect(exchange.status, ok(exchange)).toBeGreaterThanOrEqual(200);
            expect(exchange.status, ok(exchange)).toBeLessThan(300);
          }
          if (harness) await harness.check(module, app!, reader);
        },
      };
    });
  // A harness entry that matches no block is stale: the guide changed under it.
  expect(HARNESS.filter((h) => !harnessed.has(h)).map((h) => `${h.source} ${h.marker}`)).toEqual([]);
  return steps;
}

/** The site's APIs in its order: the partner-facing ones first, the sandbox's operator API last. */
const siteApis = [...apis].sort((a, b) => Number(a.startsWith('sandbox')) - Number(b.startsWith('sandbox')));

/** The reference's samples of one language as steps, API by API, operations in the order the reference shows them. */
function referenceSteps(label: 'curl' | 'TypeScript'): Step[] {
  return siteApis.flatMap((api) => {
    const spec = loadSpec(api);
    return inReadingOrder(spec, codeSamples(api, spec)).map(({ operationId, samples }): Step => {
      const { source } = samples.find((s: { label: string }) => s.label === label)!;
      const id = `reference ${api} ${operationId} (${label})`;
      return {
        id,
        run: async (reader) => {
          const exchanges =
            label === 'curl'
              ? await sequence(parseCurls(source), (c) => reader.curl(c))
              : (await reader.typescript(source, id)).exchanges;
          expect(exchanges.length, `${id} sends a request`).toBeGreaterThan(0);
          for (const exchange of exchanges) {
            expect(exchange.status, ok(exchange)).toBeGreaterThanOrEqual(200);
            expect(exchange.status, ok(exchange)).toBeLessThan(300);
          }
        },
      };
    });
  });
}

async function sequence<T, R>(items: T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (const item of items) out.push(await run(item));
  return out;
}

describe('a shown answer is compared with the real one', () => {
  /** [name, shown, real, problems found]: each case with a fresh reader, after `before` was compared. */
  const cases: [string, { before?: [unknown, unknown]; shown: unknown; real: unknown; problems: number }][] = [
    ['equal', { shown: { a: 1, b: ['x'] }, real: { a: 1, b: ['x'] }, problems: 0 }],
    ['another value', { shown: { region_status: 'mapped' }, real: { region_status: 'not_applicable' }, problems: 1 }],
    ['a field not shown', { shown: {}, real: { item_id: null }, problems: 1 }],
    ['a field the sandbox does not answer', { shown: { item_id: 'PKG-1' }, real: {}, problems: 1 }],
    ['another number of entries', { shown: [1], real: [1, 2], problems: 1 }],
    ['null against a value', { shown: { item_id: null }, real: { item_id: 'PKG-1' }, problems: 1 }],
    [
      'another token of the same shape',
      {
        shown: { t: 'khJbSf2BViSkYWwcYlC0SWPFSgay3mTbNMlvAfXYJHw' },
        real: { t: 'xHSZPlKPj2etk_qUJHV5zDk8FehVg-VBvJ1072o3VxI' },
        problems: 0,
      },
    ],
    ['another timestamp', { shown: '2026-11-30T02:23:01.936Z', real: '2027-01-01T00:00:00Z', problems: 0 }],
    ['a timestamp against a date', { shown: '2026-11-30T02:23:01.936Z', real: '2026-11-30', problems: 1 }],
    ['another tracking number of the same shape', { shown: 'SM0000000001', real: 'SM0000000042', problems: 0 }],
    ['a tracking number against a parcel id', { shown: 'SM0000000001', real: 'SP0000000001', problems: 1 }],
    [
      'the same shown tracking number for another order',
      { before: ['SM0000000001', 'SM0000000042'], shown: 'SM0000000001', real: 'SM0000000043', problems: 1 },
    ],
    [
      'another shown tracking number for the same order',
      { before: ['SM0000000001', 'SM0000000042'], shown: 'SM0000000002', real: 'SM0000000042', problems: 1 },
    ],
    [
      'the same order shown the same way twice',
      { before: ['SM0000000001', 'SM0000000042'], shown: 'SM0000000001', real: 'SM0000000042', problems: 0 },
    ],
  ];
  test.each(cases)('%s', (_name, { before, shown, real, problems }) => {
    const reader = new Reader({} as RunningSandbox);
    if (before) expect(reader.compare(...before)).toEqual([]);
    expect(reader.compare(shown, real)).toHaveLength(problems);
  });
});

describe.each([
  ["the README, the guides, then the reference's curl samples", 'curl'],
  ["the README, the guides, then the reference's TypeScript samples", 'TypeScript'],
] as const)('one fresh sandbox: %s', (_name, label) => {
  let sandbox: RunningSandbox;
  let reader: Reader;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, starshipWebhookTimeoutMs: 1000 });
    reader = new Reader(sandbox);
  });
  afterAll(async () => {
    await sandbox?.close();
  });
  test.each([...documentSteps(), ...referenceSteps(label)].map((s) => [s.id, s] as const))('%s', async (_id, step) => {
    await step.run(reader);
  });
});

describe('the TypeScript samples typecheck against the client, as strictly as our own code', () => {
  test("the README's and the reference's TypeScript samples", () => {
    // The guides' lifecycle snippets use names of the reader's application and are checked by running them (above).
    const samples = [
      ...allDocumentSamples().flatMap((s) =>
        s.kind === 'ts' && !HARNESS.some((h) => h.source === s.source && h.marker.test(s.code))
          ? [[`${s.source}:${s.line}`, s.code] as const]
          : [],
      ),
      ...siteApis.flatMap((api) =>
        codeSamples(api, loadSpec(api)).map(
          (o: { operationId: string; samples: { label: string; source: string }[] }) =>
            [`reference ${api} ${o.operationId}`, o.samples.find((x) => x.label === 'TypeScript')!.source] as const,
        ),
      ),
    ];
    const client = {
      '@starmile/partner-client/starship': 'client/src/starship.ts',
      '@starmile/partner-client': 'client/src/index.ts',
    } as const;
    const files = samples.map(([id, code], i) => {
      const file = join(work, `typecheck-${i}.ts`);
      writeFileSync(
        file,
        `// ${id}\n${code.replace(/from '(@starmile\/partner-client(?:\/starship)?)'/g, (_, name: keyof typeof client) => `from ${JSON.stringify(join(repoRoot, client[name]))}`)}\nexport {};\n`,
      );
      return file;
    });
    // A sample written for a Node server (it imports node:*) is checked with Node's types; every other one without
    // them.
    const forNode = (_file: string, i: number) => /from 'node:/.test(samples[i]![1]);
    const strict = {
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      allowImportingTsExtensions: true,
    };
    const problems = [
      ...typecheck(
        files.filter((f, i) => !forNode(f, i)),
        work,
        strict,
      ),
      ...typecheck(files.filter(forNode), work, {
        ...strict,
        types: ['node'],
        typeRoots: [join(repoRoot, 'node_modules', '@types')],
      }),
    ].map((d) => d.text.replace(/^typecheck-(\d+)\.ts/, (_, i: string) => samples[Number(i)]![0]));
    expect(files.length).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  }, 60_000);
});
