// The suite's one HTTP client: records every exchange, checks each response against the contract (findings are logged,
// never thrown: shape is judged apart from behaviour), and retries only 429s.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { ApiName } from '../../contract/index.ts';
import { findOperation, type ResponseFinding, responseFindings } from './contract-check.ts';

export interface Exchange {
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody?: string;
  status: number;
  responseHeaders: Record<string, string>;
  responseText: string;
  durationMs: number;
  operationId?: string;
  /** How the response breaks the contract (documented status, Content-Type, schema), each finding classified. */
  findings: ResponseFinding[];
  /** Set for operator hooks, which are no part of the contract. */
  hook?: string;
}

/**
 * Response headers by lower-case name, several values joined by ", "; get() and has() answer as Fetch's Headers do (the
 * global Headers class would load undici, which nothing else of a run needs).
 */
export class ResponseHeaders {
  constructor(readonly all: Readonly<Record<string, string>>) {}
  get(name: string): string | null {
    return this.all[name.toLowerCase()] ?? null;
  }
  has(name: string): boolean {
    return name.toLowerCase() in this.all;
  }
}

export interface Res<T = unknown> {
  status: number;
  headers: ResponseHeaders;
  /** Parsed JSON body, undefined when the body is empty or not JSON. */
  body: T;
  text: string;
  exchange: Exchange;
}

export interface RequestOptions {
  method?: string;
  /** A path below the base URL, or an absolute URL. */
  path: string;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  /** Serialised as JSON with Content-Type application/json. */
  json?: unknown;
  /** Sent as is (with the Content-Type given in headers, if any). */
  raw?: string | Buffer;
  /** Operator hook name: the response is not checked against the partner contract. */
  hook?: string;
  /**
   * Sends again after a connection reset with no answer read (at most 3 times). Only for a request the server must not
   * act on whatever it reads (a body over the documented cap), so sending it again can change nothing.
   */
  resendIfReset?: boolean;
}

const MAX_429_RETRIES = 3;
/**
 * Response text an exchange keeps for reports (the rule got the whole body): a long feed page must not stay in memory.
 */
const KEPT_TEXT = 64 * 1024;
// A slice of a V8 string can keep the whole string alive; a copy through a Buffer does not.
const kept = (text: string) =>
  text.length > KEPT_TEXT
    ? `${Buffer.from(text.slice(0, KEPT_TEXT)).toString('utf8')}… (${text.length} characters)`
    : text;
const MAX_RETRY_WAIT_MS = 10_000;
const MAX_RESENDS = 3;

export class HttpClient {
  constructor(
    readonly baseUrl: string,
    readonly api: ApiName,
    private readonly timeoutMs: number,
    private readonly record: (exchange: Exchange) => void,
    private readonly agents: Agents,
  ) {}

  async request<T = unknown>(options: RequestOptions): Promise<Res<T>> {
    const url = new URL(/^https?:\/\//.test(options.path) ? options.path : this.baseUrl + options.path);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const method = options.method ?? (options.json !== undefined || options.raw !== undefined ? 'POST' : 'GET');
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    let body: string | Buffer | undefined = options.raw;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['Content-Type'] ??= 'application/json';
    }
    for (let attempt = 0, resets = 0; ; attempt++) {
      let res: Res<T>;
      try {
        res = await this.once<T>(method, url, headers, body, options.hook);
      } catch (error) {
        // A reset before any answer could be read (the server closed on an unread body): sent again only when asked.
        if (
          options.resendIfReset &&
          /ECONNRESET|EPIPE|socket hang up/.test(String((error as Error).message)) &&
          ++resets <= MAX_RESENDS
        )
          continue;
        throw error;
      }
      if (res.status !== 429 || attempt >= MAX_429_RETRIES) return res;
      const wait = Math.min(Number(res.headers.get('retry-after') ?? '1') * 1000 || 1000, MAX_RETRY_WAIT_MS);
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  private async once<T>(
    method: string,
    url: URL,
    headers: Record<string, string>,
    body: string | Buffer | undefined,
    hook?: string,
  ): Promise<Res<T>> {
    const started = performance.now();
    const response = await send(url, method, headers, body, this.timeoutMs, this.agents);
    const text = response.text;
    let parsed: unknown;
    try {
      parsed = text.length ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    const basePath = new URL(this.baseUrl).pathname.replace(/\/$/, '');
    const path = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname;
    // HEAD is its GET's operation without the body (X13); the rule about HEAD compares it with the GET, nothing else
    // judges it.
    const head = method === 'HEAD';
    const op = hook ? undefined : findOperation(this.api, head ? 'GET' : method, path);
    const contentType = response.headers.get('content-type');
    const findings: ResponseFinding[] =
      hook || (head && op)
        ? []
        : op
          ? responseFindings(op, { status: response.status, contentType, body: parsed, bodyText: text })
          : [
              {
                kind: 'envelope',
                class: 'contract',
                at: 'path',
                message: `${method} ${path} is no operation of ${this.api}`,
                source: { designed: 'The operations of the contract.', specLocation: '/paths' },
              },
            ];
    const exchange: Exchange = {
      method,
      url: url.toString(),
      requestHeaders: headers,
      ...(body === undefined
        ? {}
        : {
            requestBody:
              typeof body === 'string' ? body : body.length > 4096 ? `<${body.length} bytes>` : body.toString('utf8'),
          }),
      status: response.status,
      responseHeaders: { ...response.headers.all },
      responseText: kept(text),
      durationMs: performance.now() - started,
      findings,
      ...(op ? { operationId: op.operationId } : {}),
      ...(hook ? { hook } : {}),
    };
    if (typeof exchange.requestBody === 'string' && exchange.requestBody.length > 4096)
      exchange.requestBody = `${exchange.requestBody.slice(0, 200)}… <${exchange.requestBody.length} bytes>`;
    this.record(exchange);
    return { status: response.status, headers: response.headers, body: parsed as T, text, exchange };
  }
}

/** Keep-alive connection pools of one run (node:http is several times cheaper per request than fetch). */
export class Agents {
  readonly http = new HttpAgent({ keepAlive: true, maxSockets: 64 });
  readonly https = new HttpsAgent({ keepAlive: true, maxSockets: 64 });
  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

export interface RawResponse {
  status: number;
  headers: ResponseHeaders;
  text: string;
}

/**
 * One plain request outside any rule (the preflight, init): through node:http, as every request of a run, since fetch
 * alone would load undici (about 30 ms).
 */
export function plainRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs: number },
): Promise<RawResponse> {
  const agents = new Agents();
  return send(new URL(url), init.method ?? 'GET', init.headers ?? {}, init.body, init.timeoutMs, agents).finally(() =>
    agents.close(),
  );
}

/** Bodies above this go out in chunks, so an early answer (a 413 before the body is read) stops the sending. */
const CHUNK = 64 * 1024;
/**
 * Before such a body, the headers go alone and the client waits this long for an early answer: a server that refuses
 * by Content-Length answers before any byte of the body was sent, so closing cannot reset the connection under the
 * answer (which a client may then never read), as it can once body bytes lie unread on the server's side.
 */
const EARLY_ANSWER_WAIT_MS = 250;

function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | Buffer | undefined,
  timeoutMs: number,
  agents: Agents,
): Promise<RawResponse> {
  const secure = url.protocol === 'https:';
  const payload = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : body;
  return new Promise((resolve, reject) => {
    let answered = false;
    let sent = payload === undefined || payload.length <= CHUNK;
    const req = (secure ? httpsRequest : httpRequest)(
      url,
      {
        method,
        headers: { ...headers, ...(payload ? { 'Content-Length': String(payload.length) } : {}) },
        agent: secure ? agents.https : agents.http,
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          // An answer that came before the whole body: this connection cannot carry another request.
          if (!sent) req.destroy();
          const h: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers))
            if (v !== undefined) h[k] = Array.isArray(v) ? v.join(', ') : v;
          resolve({
            status: res.statusCode ?? 0,
            headers: new ResponseHeaders(h),
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms: ${method} ${url}`)));
    req.on('error', (error) => {
      // A server may answer (413) and close before reading the rest of the body: the answer stands, the write error
      // does not.
      if (!answered) reject(error);
    });
    if (!payload || payload.length <= CHUNK) return void req.end(payload);
    let offset = 0;
    const pump = (): void => {
      while (offset < payload.length) {
        if (answered || req.destroyed) return;
        const chunk = payload.subarray(offset, offset + CHUNK);
        offset += CHUNK;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end(() => (sent = true));
    };
    req.flushHeaders();
    const wait = setTimeout(pump, EARLY_ANSWER_WAIT_MS);
    req.once('response', () => clearTimeout(wait));
    req.once('close', () => clearTimeout(wait));
  });
}
