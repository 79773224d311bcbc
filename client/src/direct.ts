// The named methods' path: the same URL, headers and body openapi-fetch would build, sent without its per-call Request and middleware machinery, which costs more than the 10 % a call may add to a raw fetch.
import { createQuerySerializer } from 'openapi-fetch';
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
  const templates = new Map<string, string[]>();

  // openapi-fetch's default for a string path parameter (style simple: encodeURIComponent), with the template split once per path rather than matched by regex per call.
  function url(schemaPath: string, params: DirectInit['params']): string {
    let parts = templates.get(schemaPath);
    if (!parts) templates.set(schemaPath, (parts = schemaPath.split(/\{([^{}]+)\}/)));
    let out = base;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const value = i % 2 ? params?.path?.[part] : undefined;
      out += i % 2 ? (value === undefined ? `{${part}}` : encodeURIComponent(value)) : part;
    }
    const search = params?.query ? querySerializer(params.query) : '';
    return search ? `${out}?${search}` : out;
  }

  return async function call(method: string, schemaPath: string, init: DirectInit): Promise<DirectResult> {
    const target = url(schemaPath, init.params);
    const body = init.body === undefined ? undefined : JSON.stringify(init.body);
    const headers: Record<string, string> = body === undefined ? { ...init.headers } : { 'Content-Type': 'application/json', ...init.headers };
    const send = (token: string) => {
      headers.Authorization = `Bearer ${token}`;
      const request: RequestInit = { method, headers };
      if (body !== undefined) request.body = body;
      if (init.signal) request.signal = init.signal;
      return fetch(target, request);
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
