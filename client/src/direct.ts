// The named methods' path: the same URL, headers and body openapi-fetch would build, sent without its per-call Request and middleware machinery, which costs more than the 10 % a call may add to a raw fetch.
import { createFinalURL, createQuerySerializer, defaultPathSerializer } from 'openapi-fetch';
import { needsRecovery, recover, type Recovery } from './recover.js';
import { isRetrySafe } from './retry.js';

export interface DirectInit {
  params?: { path?: Record<string, string>; query?: Record<string, string | number | undefined> };
  body?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/** openapi-fetch's result shape, untyped; the named methods type it per operation. */
export interface DirectResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

export function createDirectCaller(baseUrl: string, fetch: typeof globalThis.fetch, recovery: Recovery) {
  const base = baseUrl.replace(/\/+$/, '');
  const querySerializer = createQuerySerializer();

  return async function call(method: string, schemaPath: string, init: DirectInit): Promise<DirectResult> {
    const url = createFinalURL(schemaPath, { baseUrl: base, params: init.params ?? {}, querySerializer, pathSerializer: defaultPathSerializer });
    const body = init.body === undefined ? undefined : JSON.stringify(init.body);
    const headers: Record<string, string> = body === undefined ? { ...init.headers } : { 'Content-Type': 'application/json', ...init.headers };
    const send = (token: string) => {
      headers.Authorization = `Bearer ${token}`;
      const request: RequestInit = { method, headers };
      if (body !== undefined) request.body = body;
      if (init.signal) request.signal = init.signal;
      return fetch(url, request);
    };
    const token = recovery.tokens.current() ?? (await recovery.tokens.get());
    let response = await send(token);
    if (needsRecovery(response.status)) {
      response = await recover(recovery, { response, token, safe: isRetrySafe(method, schemaPath), signal: init.signal, resend: send });
    }
    return parse(method, response);
  };
}

/** openapi-fetch 0.17's reading of a response with `parseAs: 'json'`, so both paths answer alike. */
async function parse(method: string, response: Response): Promise<DirectResult> {
  const contentLength = response.headers.get('Content-Length');
  if (response.status === 204 || method === 'HEAD' || (contentLength === '0' && !response.headers.get('Transfer-Encoding')?.includes('chunked'))) {
    return response.ok ? { data: undefined, response } : { error: undefined, response };
  }
  if (response.ok) {
    if (contentLength) return { data: await response.json(), response };
    const raw = await response.text();
    return { data: raw ? JSON.parse(raw) : undefined, response };
  }
  const raw = await response.text();
  try {
    return { error: JSON.parse(raw), response };
  } catch {
    return { error: raw, response };
  }
}
