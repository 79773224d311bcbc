// The openapi-fetch middleware behind every call (the named methods, `client.GET`, `client.POST`, ...): signs each
// request with a bearer token and recovers from 401, 429 and 503 (see recover.ts).
import type { Middleware } from 'openapi-fetch';
import { needsRecovery, type Recovery, recover } from './recover.js';
import { isRetrySafe } from './retry.js';

export function authRetryMiddleware(recovery: Recovery): Middleware {
  // A request body can be read once: keep an unread copy of each sent request to send again.
  const pristine = new WeakMap<Request, Request>();
  const sign = (request: Request, token: string) => {
    request.headers.set('Authorization', `Bearer ${token}`);
    if (request.body !== null) pristine.set(request, request.clone());
    return request;
  };

  // Neither hook is async and neither destructures its argument: both run on every call, and a cached token signs the
  // request without waiting a tick (decision T3).
  return {
    onRequest(params) {
      const token = recovery.tokens.current();
      return token === undefined
        ? recovery.tokens.get().then((fresh) => sign(params.request, fresh))
        : sign(params.request, token);
    },

    onResponse(params) {
      if (!needsRecovery(params.response.status)) return undefined;
      const { request, response, schemaPath, options } = params;
      const template = pristine.get(request) ?? request;
      return recover(recovery, {
        response,
        token: request.headers.get('Authorization')?.replace(/^Bearer /, '') ?? '',
        safe: isRetrySafe(request.method, schemaPath),
        signal: request.signal,
        resend: (token) => {
          const next = template.body === null ? template : template.clone();
          next.headers.set('Authorization', `Bearer ${token}`);
          return options.fetch(next);
        },
      });
    },
  };
}
