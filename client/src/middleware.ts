// The openapi-fetch middleware that signs every call with a bearer token and recovers from a 401 (once) and from 429/503 (where repeating is safe).
import type { Middleware } from 'openapi-fetch';
import { isRetrySafe, RETRY_STATUSES, retryDelay, type RetryPolicy } from './retry.js';
import type { TokenSource } from './token.js';

export interface AuthRetryOptions {
  tokens: TokenSource;
  retry: RetryPolicy;
  now: () => number;
}

export function authRetryMiddleware({ tokens, retry, now }: AuthRetryOptions): Middleware {
  // A request body can be read once: keep an unread copy of each sent request to send again.
  const pristine = new WeakMap<Request, Request>();

  return {
    async onRequest({ request }) {
      request.headers.set('Authorization', `Bearer ${await tokens.get()}`);
      if (request.body !== null) pristine.set(request, request.clone());
      return request;
    },

    async onResponse({ request, response, schemaPath, options }) {
      if (response.status !== 401 && !RETRY_STATUSES.has(response.status)) return undefined;
      const template = pristine.get(request) ?? request;
      const safe = isRetrySafe(request.method, schemaPath);
      let current = response;
      let token = bearer(request);
      let refreshed = false;
      let attempt = 1;

      for (;;) {
        if (current.status === 401 && !refreshed) {
          // A 401 means the request was not processed, so even an order creation may be sent again.
          refreshed = true;
          tokens.invalidate(token);
          token = await tokens.get();
        } else if (safe && RETRY_STATUSES.has(current.status) && attempt < retry.attempts) {
          const delay = retryDelay(current.headers.get('Retry-After'), attempt, retry, now());
          if (delay === undefined) return current;
          await retry.sleep(delay, request.signal);
          attempt += 1;
        } else {
          return current;
        }
        await current.body?.cancel();
        const next = template.body === null ? template : template.clone();
        next.headers.set('Authorization', `Bearer ${token}`);
        current = await options.fetch(next);
      }
    },
  };
}

function bearer(request: Request): string {
  return request.headers.get('Authorization')?.replace(/^Bearer /, '') ?? '';
}
