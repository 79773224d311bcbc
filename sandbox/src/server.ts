// The sandbox server: plain node:http over the in-memory state, routing each request to its operation and answering
// every failure with the contract's error body.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Fixtures } from '../../contract/sandbox-admin.ts';
import { loadFixtures } from './fixtures.ts';
import { answerClientError, fail, HttpError, send } from './http.ts';
import { type Route, routes } from './routes.ts';
import { attachStarship } from './starship/state.ts';
import { SandboxState } from './store.ts';

export type { Fixtures } from '../../contract/sandbox-admin.ts';
export { checkFixtures, FIXTURES_FILE, loadFixtures } from './fixtures.ts';
export { routes } from './routes.ts';
export { SandboxState } from './store.ts';

export interface SandboxOptions {
  port?: number;
  host?: string;
  tokenTtlSeconds?: number;
  fixtures?: Fixtures;
  /** Where Starship webhooks are POSTed from the start (changeable with PUT /_sandbox/starship/webhook-target). */
  starshipWebhookUrl?: string;
  /** How long a Starship webhook receiver may take to answer. */
  starshipWebhookTimeoutMs?: number;
  /** How long a client may take to send a whole request (headers: at most 10 s of it); a slower one gets 408. */
  requestTimeoutMs?: number;
}

export interface RunningSandbox {
  url: string;
  port: number;
  /** The live state, for tests that check nothing changed after a rejected request. */
  state: SandboxState;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 4020;
export const DEFAULT_TOKEN_TTL_SECONDS = 3600;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

function decodeParams(match: RegExpExecArray): string[] | null {
  try {
    return match.slice(1).map((p) => decodeURIComponent(p));
  } catch {
    return null;
  }
}

/** Path and query of a request target; origin-form (the usual `/path?query`) is split without a full URL parse. */
function target(raw: string): { pathname: string; query: URLSearchParams } {
  if (!raw.startsWith('/')) {
    let url: URL;
    try {
      url = new URL(raw, 'http://sandbox');
    } catch {
      throw fail(400, 'The request target is not a valid URL.');
    }
    return { pathname: url.pathname, query: url.searchParams };
  }
  const q = raw.indexOf('?');
  return q < 0
    ? { pathname: raw, query: new URLSearchParams() }
    : { pathname: raw.slice(0, q), query: new URLSearchParams(raw.slice(q + 1)) };
}

/** Routes whose template has no parameter, by exact path: most requests are found without a regex. */
const staticRoutes = new Map<string, Route[]>();
for (const r of routes)
  if (!r.template.includes('{')) staticRoutes.set(r.template, [...(staticRoutes.get(r.template) ?? []), r]);
const parameterised = routes.filter((r) => r.template.includes('{'));

function routesAt(pathname: string): Route[] {
  return staticRoutes.get(pathname) ?? parameterised.filter((r) => r.pattern.test(pathname));
}

/** The methods a path answers: its routes', and HEAD wherever GET is (RFC 9110 §9.3.2, decision X13). */
const allowed = (candidates: Route[]) => candidates.flatMap((r) => (r.method === 'GET' ? ['GET', 'HEAD'] : [r.method]));

/**
 * The latest response on each connection, so a parser error never writes into the middle of a reply already started
 * (but does answer after a finished one).
 */
const latest = new WeakMap<Duplex, ServerResponse>();
const replyStarted = (socket: Duplex) => {
  const res = latest.get(socket);
  return !!res?.headersSent && !res.writableFinished;
};

/** The request listener: route, run, reply; an unexpected error is a 500 that is logged, never a crash. */
export function createHandler(state: SandboxState) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    latest.set(req.socket, res);
    try {
      const { pathname, query } = target(req.url ?? '/');
      const candidates = routesAt(pathname);
      if (!candidates.length)
        return send(res, { status: 404, body: { message: `No operation at ${pathname.slice(0, 300)}.` } });
      // HEAD runs the GET handler; Node sends its status and headers without the body.
      const method = req.method === 'HEAD' ? 'GET' : req.method;
      let route: Route | undefined;
      for (const r of candidates) if (r.method === method) route = r;
      if (!route)
        return send(res, {
          status: 405,
          body: { message: `${req.method} is not allowed on ${pathname.slice(0, 300)}.` },
          headers: { Allow: allowed(candidates).join(', ') },
        });
      const params = decodeParams(route.pattern.exec(pathname)!);
      if (!params) return send(res, { status: 404, body: { message: `No resource at ${pathname.slice(0, 300)}.` } });
      send(res, await route.handler({ req, state, params, query }));
    } catch (error) {
      if (error instanceof HttpError)
        return send(res, { status: error.status, body: error.body, headers: error.headers });
      console.error('sandbox: unexpected error', error);
      if (!res.headersSent)
        send(res, { status: 500, body: { message: 'The sandbox failed unexpectedly; this is a bug.' } });
    }
  };
}

/** Starts the sandbox on host:port (0 for a free port) with fresh in-memory state. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const host = options.host ?? '127.0.0.1';
  const state = new SandboxState(
    options.fixtures ?? loadFixtures(),
    options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS,
  );
  const starship = attachStarship(state, {
    webhookUrl: options.starshipWebhookUrl ?? null,
    ...(options.starshipWebhookTimeoutMs === undefined ? {} : { webhookTimeoutMs: options.starshipWebhookTimeoutMs }),
  });
  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  // A client trickling its request holds a connection for at most these, not Node's 60 s and 300 s (decision SB17).
  const server = createServer(
    {
      keepAliveTimeout: 5_000,
      requestTimeout,
      headersTimeout: Math.min(10_000, requestTimeout),
      connectionsCheckingInterval: Math.min(1_000, requestTimeout / 2),
    },
    createHandler(state),
  );
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) =>
    answerClientError(error, socket, replyStarted),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    state,
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      // After the server: no request can fire a webhook any more, and none is left waiting on a receiver.
      await starship.close();
    },
  };
}
