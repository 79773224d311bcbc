// An HTTP proxy in front of a sandbox that can be switched to one deliberate fault at a time, so each rule is shown
// able to fail.
import { Agent, createServer, type IncomingHttpHeaders, request } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Fault, ProxyContext, ProxyRequest, ProxyResponse } from '../../src/fault-kit.ts';

export type { Fault, ProxyContext, ProxyRequest, ProxyResponse };

const flatten = (h: IncomingHttpHeaders): Record<string, string> =>
  Object.fromEntries(
    Object.entries(h)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]),
  );

const parse = (body: Buffer, contentType: string | undefined): any => {
  if (!contentType?.includes('json') || !body.length) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
};

export interface FaultyProxy {
  url: string;
  /** The fault in force; undefined forwards everything unchanged. */
  setFault(fault: Fault | undefined): void;
  close(): Promise<void>;
}

/**
 * What each incoming request's body was parsed to, serialised: a request a fault left alone is forwarded with its own
 * bytes, so the proxy never repairs a body (a repeated key, invalid UTF-8) the server must refuse.
 */
const parsedAs = new WeakMap<ProxyRequest, string>();

/** The bytes to forward: the original ones unless a fault edited the parsed JSON (then it is re-serialised). */
const bodyOf = (req: ProxyRequest): Buffer =>
  req.json === undefined || (parsedAs.has(req) && parsedAs.get(req) === JSON.stringify(req.json))
    ? req.body
    : Buffer.from(JSON.stringify(req.json));

export async function startFaultyProxy(
  upstreamUrl: string,
  credentials: { clientId: string; secret: string }[],
): Promise<FaultyProxy> {
  const upstreamBase = new URL(upstreamUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const owners = new Map<string, string>();
  const scopes = new Map<string, string[]>();
  const tokens = new Map<string, string>();
  let fault: Fault | undefined;
  let state = new Map<string, any>();

  const upstream = (req: ProxyRequest): Promise<ProxyResponse> =>
    new Promise((resolve, reject) => {
      const body = bodyOf(req);
      const headers: Record<string, string> = {
        ...req.headers,
        host: upstreamBase.host,
        'content-length': String(body.length),
      };
      if (!body.length && !['POST', 'PATCH', 'PUT'].includes(req.method)) delete headers['content-length'];
      const qs = req.query.toString();
      const out = request(
        new URL(`${req.path}${qs ? `?${qs}` : ''}`, upstreamBase),
        { method: req.method, headers, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const buf = Buffer.concat(chunks);
            const h = flatten(res.headers);
            resolve({ status: res.statusCode ?? 502, headers: h, body: buf, json: parse(buf, h['content-type']) });
          });
          res.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });

  const tokenOf = async (clientId: string): Promise<string> => {
    const cached = tokens.get(clientId);
    if (cached) {
      // Tokens may have been expired on purpose by a rule; a cheap probe tells.
      const probe = await upstream({
        method: 'GET',
        path: '/api/v1/partner/changes',
        query: new URLSearchParams({ limit: '1' }),
        headers: { authorization: `Bearer ${cached}` },
        body: Buffer.alloc(0),
      });
      if (probe.status !== 401) return cached;
    }
    const c = credentials.find((x) => x.clientId === clientId);
    if (!c) throw new Error(`the proxy has no secret for ${clientId}`);
    const res = await upstream({
      method: 'POST',
      path: '/oauth/token',
      query: new URLSearchParams(),
      headers: { 'content-type': 'application/json' },
      body: Buffer.alloc(0),
      json: { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secret },
    });
    const token = res.json?.access_token as string;
    tokens.set(clientId, token);
    owners.set(token, clientId);
    scopes.set(token, String(res.json?.scope ?? '').split(' '));
    return token;
  };

  const bearer = (req: ProxyRequest) => (req.headers.authorization ?? '').replace(/^Bearer /, '');
  const ownerOf = (req: ProxyRequest) => owners.get(bearer(req));
  const scopesOf = (req: ProxyRequest) => scopes.get(bearer(req)) ?? [];

  const server = createServer(async (incoming, outgoing) => {
    try {
      const chunks: Buffer[] = [];
      for await (const c of incoming) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks);
      const url = new URL(incoming.url ?? '/', 'http://proxy');
      const headers = flatten(incoming.headers);
      delete headers.host;
      delete headers['content-length'];
      const req: ProxyRequest = {
        method: incoming.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers,
        body,
        json: parse(body, headers['content-type']),
      };
      if (req.json !== undefined) parsedAs.set(req, JSON.stringify(req.json));
      const clientId =
        req.path === '/oauth/token'
          ? (req.json?.client_id ?? new URLSearchParams(body.toString('utf8')).get('client_id') ?? undefined)
          : undefined;
      const ctx: ProxyContext = { upstream, tokenOf, ownerOf, scopesOf, state };
      const res = fault ? await fault(req, ctx) : await upstream(req);
      if (clientId && typeof res.json?.access_token === 'string') {
        owners.set(res.json.access_token, clientId);
        scopes.set(res.json.access_token, String(res.json.scope ?? '').split(' '));
      }
      const payload = res.json !== undefined ? Buffer.from(JSON.stringify(res.json)) : res.body;
      // A HEAD answer keeps the length of the body it does not carry (X13).
      const outHeaders: Record<string, string> = {
        ...res.headers,
        'content-length':
          req.method === 'HEAD' && res.headers['content-length'] !== undefined
            ? res.headers['content-length']
            : String(payload.length),
      };
      delete outHeaders['transfer-encoding'];
      delete outHeaders.connection;
      delete outHeaders['keep-alive'];
      outgoing.writeHead(res.status, outHeaders);
      outgoing.end(payload);
    } catch (error) {
      outgoing.writeHead(502, { 'content-type': 'text/plain' });
      outgoing.end(`proxy error: ${(error as Error).message}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    setFault(next) {
      fault = next;
      state = new Map();
    },
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
