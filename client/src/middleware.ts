// The openapi-fetch middleware behind `client.GET`, `client.POST`, ...: signs each request with a bearer token and recovers from 401, 429 and 503 (see recover.ts).
import type { Middleware } from 'openapi-fetch';
import { needsRecovery, recover, type Recovery } from './recover.js';
import { isRetrySafe } from './retry.js';

export function authRetryMiddleware(recovery: Recovery): Middleware {
  // A request body can be read once: keep an unread copy of each sent request to send again.
  const pristine = new WeakMap<Request, Request>();

  return {
    async onRequest({ request }) {
      request.headers.set('Authorization', `Bearer ${await recovery.tokens.get()}`);
      if (request.body !== null) pristine.set(request, request.clone());
      return request;
    },

    async onResponse({ request, response, schemaPath, options }) {
      if (!needsRecovery(response.status)) return undefined;
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
