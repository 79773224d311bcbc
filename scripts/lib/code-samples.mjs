// The reference's code samples (Redoc's `x-codeSamples`): a curl command and a TypeScript snippet per operation,
// made at build time from the operation's named request examples and parameter examples, never written by hand.
// They target the sandbox with its test credentials (sandbox/fixtures.json). A value a reader takes from an
// earlier answer is a placeholder (`<access_token>`, `<parcel_id>`), as in the guides; scripts/test/samples.test.ts
// fills each one from the answers before it and runs every sample against a fresh sandbox, in reading order.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './apis.mjs';
import { localResolver } from './open-enum.mjs';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/**
 * Values a reader takes from an earlier answer: what each placeholder stands for, and which answer gives it
 * (`pick` reads one answer body of `operationId` in `api`, or says nothing). The replay fills a placeholder
 * with the value of the latest answer that gave it.
 */
export const PLACEHOLDERS = {
  access_token: {
    means: 'the access_token createToken answered',
    from: [['starmile-partner', 'createToken', (b) => b.access_token]],
  },
  next_cursor: {
    means: 'the next_cursor of your last page of the status pool',
    from: [['starmile-partner', 'listChanges', (b) => b.next_cursor]],
  },
  parcel_id: {
    means: 'the parcel_id of one of your parcels (createOrder answers it)',
    from: [['starmile-partner', 'createOrder', (b) => b.data?.items?.[0]?.parcel_id]],
  },
  tracking_number: {
    means: 'the Starmile tracking number of one of your orders (createOrder answers it as order_id)',
    from: [['starmile-partner', 'createOrder', (b) => b.data?.order_id]],
  },
  starship_order_id: {
    means: 'the id of a Starship order (createOrder answers it)',
    from: [['starship-rewards', 'createOrder', (b) => b.id]],
  },
  pending_order_id: { means: 'the id of a PENDING Starship order', from: starshipOrders('PENDING') },
  partial_order_id: {
    means: 'the id of a PARTIALLY_DELIVERED Starship order',
    from: starshipOrders('PARTIALLY_DELIVERED'),
  },
  delivered_order_id: { means: 'the id of a DELIVERED Starship order', from: starshipOrders('DELIVERED') },
};

/** Every answer that shows a Starship order in `status`: placing it, reading it, or an operator moving it there. */
function starshipOrders(status) {
  const order = (o) => (o?.status === status ? o.id : undefined);
  return [
    ['starship-rewards', 'createOrder', (b) => order(b)],
    ['starship-rewards', 'getOrder', (b) => order(b)],
    ...['escalateStarshipOrder', 'settleStarshipOrder', 'cancelStarshipOrder'].map((op) => [
      'sandbox-admin',
      op,
      (b) => order(b.data?.order),
    ]),
  ];
}

/**
 * The request fields of each API that the server issues: a sample shows a placeholder instead of the example's value.
 */
const ISSUED = {
  'starmile-partner': {
    body: { parcel_id: 'parcel_id', tracking_number: 'tracking_number' },
    query: { since: 'next_cursor' },
  },
  'starship-rewards': { path: { id: 'starship_order_id' } },
  'sandbox-admin': {
    path: { parcel_id: 'parcel_id' },
    query: { order_id: 'starship_order_id' },
    // The operator's Starship actions each need an order in a given state.
    byOperation: {
      escalateStarshipOrder: { id: 'pending_order_id' },
      settleStarshipOrder: { id: 'partial_order_id' },
      cancelStarshipOrder: { id: 'delivered_order_id' },
    },
  },
};

/** The typed client's method for each Starmile operation, and how its arguments are made from the request. */
const CLIENT_METHODS = {
  listServices: () => [],
  listRates: () => [],
  createOrder: (r) => [r.body],
  getOrder: (r) => [r.path.order_id],
  updateParcel: (r) => [r.path.order_id, r.path.item_id, r.body],
  cancelOrder: (r) => [r.path.order_id, ...(r.body === undefined ? [] : [r.body])],
  listChanges: (r) => (Object.keys(r.query).length ? [r.query] : []),
  reportEvent: (r) => [r.body],
};

/** The sandbox's test credentials: the Starmile one holding every scope and the first Starship API key. */
export function sandboxCredentials() {
  const fixtures = JSON.parse(readFileSync(join(repoRoot, 'sandbox', 'fixtures.json'), 'utf8'));
  const full = fixtures.credentials.find((c) => c.role === 'full');
  return {
    clientId: full.client_id,
    clientSecret: full.client_secret,
    starshipKey: fixtures.starship.accounts[0].api_key,
  };
}

/** The base URL samples use: the server that points at a local host (the sandbox), with its variables' defaults. */
function baseUrl(spec) {
  const servers = (spec.servers ?? []).map((s) =>
    s.url.replace(/\{(\w+)\}/g, (_, v) => s.variables?.[v]?.default ?? ''),
  );
  return servers.find((url) => /\/\/(localhost|127\.0\.0\.1)[:/]/.test(url)) ?? servers[0] ?? 'http://localhost:4020';
}

const placeholder = (name) => `<${name}>`;

/**
 * The requests an operation's samples make: one per named request example (of every media type), or one without a
 * body; path and query parameters from their examples, server-issued values as placeholders.
 */
function requestsOf(api, spec, template, method, op) {
  const resolve = localResolver(spec);
  const issued = ISSUED[api] ?? {};
  const params = [...(spec.paths[template].parameters ?? []), ...(op.parameters ?? [])].map(resolve);
  const issuedValue = (where, name) => issued.byOperation?.[op.operationId]?.[name] ?? issued[where]?.[name];
  const path = {};
  const query = {};
  for (const p of params) {
    if (p.in !== 'path' && p.in !== 'query') continue;
    const name = issuedValue(p.in, p.name);
    const value = name ? placeholder(name) : p.example;
    if (value === undefined) {
      if (p.required) throw new Error(`${op.operationId}: parameter ${p.name} has no example to make a sample from`);
      continue;
    }
    (p.in === 'path' ? path : query)[p.name] = value;
  }
  const fill = (body) => {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
    return Object.fromEntries(
      Object.entries(body).map(([k, v]) => [
        k,
        issued.body?.[k] && typeof v === 'string' ? placeholder(issued.body[k]) : v,
      ]),
    );
  };
  const content = resolve(op.requestBody)?.content ?? {};
  const bodies = Object.entries(content).flatMap(([mediaType, media]) =>
    Object.entries(media.examples ?? {}).map(([name, example]) => ({
      name,
      mediaType,
      summary: resolve(example).summary,
      body: fill(resolve(example).value),
    })),
  );
  const base = { method: method.toUpperCase(), template, path, query };
  return bodies.length
    ? bodies.map((b) => ({ ...base, ...b }))
    : [{ ...base, name: null, mediaType: null, summary: null, body: undefined }];
}

function urlOf(spec, request) {
  const path = request.template.replace(/\{(\w+)\}/g, (_, name) =>
    String(request.path[name]).startsWith('<') ? request.path[name] : encodeURIComponent(request.path[name]),
  );
  const query = Object.entries(request.query)
    .map(([k, v]) => `${k}=${String(v).startsWith('<') ? v : encodeURIComponent(v)}`)
    .join('&');
  return `${baseUrl(spec)}${path}${query ? `?${query}` : ''}`;
}

/** The Authorization header a request needs, by the operation's security requirement. */
function authorization(spec, op, credentials) {
  const requirements = op.security ?? spec.security ?? [];
  if (!requirements.length || requirements.some((r) => Object.keys(r).length === 0)) return null;
  const scheme = spec.components?.securitySchemes?.[Object.keys(requirements[0])[0]];
  if (scheme?.type === 'oauth2') return `Bearer ${placeholder('access_token')}`;
  if (scheme?.type === 'http' && scheme.scheme === 'bearer') return `Bearer ${credentials.starshipKey}`;
  throw new Error(`${op.operationId}: no sample for the security scheme ${JSON.stringify(scheme)}`);
}

const shellQuote = (text) => {
  if (text.includes("'"))
    throw new Error(`a sample value holds a single quote, which the samples do not escape: ${text}`);
  return `'${text}'`;
};

function curlOf(spec, op, request, credentials) {
  const url = urlOf(spec, request);
  const lines = [
    `curl${request.method === 'GET' ? '' : ` -X ${request.method}`} ${/[?&<>]/.test(url) ? shellQuote(url) : url}`,
  ];
  const auth = authorization(spec, op, credentials);
  if (auth) lines.push(`-H ${shellQuote(`Authorization: ${auth}`)}`);
  if (request.mediaType === 'application/json') {
    lines.push(
      `-H 'Content-Type: application/json'`,
      `-d ${shellQuote(JSON.stringify(request.body, null, 2).replace(/\n/g, '\n  '))}`,
    );
  } else if (request.mediaType === 'application/x-www-form-urlencoded') {
    for (const [k, v] of Object.entries(request.body)) lines.push(`--data-urlencode ${shellQuote(`${k}=${v}`)}`);
  } else if (request.mediaType) throw new Error(`${op.operationId}: no curl sample for ${request.mediaType}`);
  return lines.join(' \\\n  ');
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** A value as a TypeScript literal, with single-quoted strings and bare keys where they are identifiers. */
function literal(value, indent = '') {
  const inner = `${indent}  `;
  if (Array.isArray(value))
    return value.length ? `[\n${value.map((v) => `${inner}${literal(v, inner)},`).join('\n')}\n${indent}]` : '[]';
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length
      ? `{\n${entries.map(([k, v]) => `${inner}${IDENTIFIER.test(k) ? k : `'${k}'`}: ${literal(v, inner)},`).join('\n')}\n${indent}}`
      : '{}';
  }
  return typeof value === 'string' ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : JSON.stringify(value);
}

/** The TypeScript sample: the typed client where it has the operation, plain fetch otherwise. */
function typescriptOf(api, spec, op, requests, credentials) {
  const viaClient = api === 'starmile-partner' && CLIENT_METHODS[op.operationId];
  const lines = [];
  if (viaClient) {
    lines.push(
      `import { createStarmileClient } from '@starmile/partner-client';`,
      '',
      `const starmile = createStarmileClient(${literal({ baseUrl: baseUrl(spec), clientId: credentials.clientId, clientSecret: credentials.clientSecret })});`,
    );
    requests.forEach((request, i) => {
      lines.push('');
      if (requests.length > 1 && request.summary) lines.push(`// ${request.summary}`);
      const args = CLIENT_METHODS[op.operationId](request)
        .map((a) => literal(a))
        .join(', ');
      const call = `await starmile.${op.operationId}(${args})`;
      lines.push(
        requests.length === 1
          ? `const { data, error } = ${call};`
          : i === 0
            ? `let { data, error } = ${call};`
            : `({ data, error } = ${call});`,
      );
    });
    return lines.join('\n');
  }
  requests.forEach((request, i) => {
    if (i) lines.push('');
    if (requests.length > 1 && request.summary) lines.push(`// ${request.summary}`);
    const headers = {};
    const auth = authorization(spec, op, credentials);
    if (auth) headers.Authorization = auth;
    if (request.mediaType === 'application/json') headers['Content-Type'] = 'application/json';
    const init = request.method === 'GET' ? [] : [`method: '${request.method}'`];
    if (Object.keys(headers).length)
      init.push(
        `headers: ${literal(headers, '  ')
          .replace(/\n\s*/g, ' ')
          .replace(/,( })$/, '$1')}`,
      );
    if (request.mediaType === 'application/json') init.push(`body: JSON.stringify(${literal(request.body, '  ')})`);
    else if (request.mediaType) init.push(`body: new URLSearchParams(${literal(request.body, '  ')})`);
    const declare = requests.length === 1 ? 'const ' : i === 0 ? 'let ' : '';
    const args = init.length ? `, {\n  ${init.join(',\n  ')},\n}` : '';
    lines.push(`${declare}response = await fetch('${urlOf(spec, request)}'${args});`);
    lines.push(`console.log(response.status, await response.json());`);
  });
  return lines.join('\n');
}

/** The placeholders a sample uses, explained in comments at its top (after its imports). */
function explained(source, comment) {
  const used = [...new Set([...source.matchAll(/<([a-z_]+)>/g)].map((m) => m[1]))].filter((name) => PLACEHOLDERS[name]);
  if (!used.length) return source;
  const notes = used.map((name) => `${comment} <${name}>: ${PLACEHOLDERS[name].means}`).join('\n');
  const lines = source.split('\n');
  const imports = lines.findLastIndex((l) => l.startsWith('import '));
  if (imports < 0) return `${notes}\n${source}`;
  return [...lines.slice(0, imports + 1), '', notes, ...lines.slice(imports + 1)].join('\n');
}

/**
 * Every operation's samples, in document order.
 * @returns {{ operationId: string, template: string, method: string, tag: string | undefined,
 *   samples: { lang: string, label: string, source: string }[] }[]}
 */
export function codeSamples(api, spec) {
  const credentials = sandboxCredentials();
  return Object.entries(spec.paths ?? {}).flatMap(([template, item]) =>
    METHODS.filter((m) => item[m]).map((method) => {
      const op = item[method];
      const requests = requestsOf(api, spec, template, method, op);
      const curl = requests
        .map((r) => (requests.length > 1 && r.summary ? `# ${r.summary}\n` : '') + curlOf(spec, op, r, credentials))
        .join('\n\n');
      return {
        operationId: op.operationId,
        template,
        method,
        tag: op.tags?.[0],
        samples: [
          { lang: 'curl', label: 'curl', source: explained(curl, '#') },
          {
            lang: 'TypeScript',
            label: 'TypeScript',
            source: explained(typescriptOf(api, spec, op, requests, credentials), '//'),
          },
        ],
      };
    }),
  );
}

/** A copy of the spec with each operation's samples in `x-codeSamples`, for Redoc. */
export function withCodeSamples(api, spec) {
  const copy = structuredClone(spec);
  for (const { template, method, samples } of codeSamples(api, spec))
    copy.paths[template][method]['x-codeSamples'] = samples;
  return copy;
}

/** The operations in the order the reference shows them: by tag, in the order of the spec's tags. */
export function inReadingOrder(spec, items) {
  const tags = (spec.tags ?? []).map((t) => t.name);
  const rank = (item) => (tags.includes(item.tag) ? tags.indexOf(item.tag) : tags.length);
  return [...items].sort((a, b) => rank(a) - rank(b));
}
