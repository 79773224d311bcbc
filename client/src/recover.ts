// What to do with a 401, 429 or 503: refresh the token and resend once after a 401, wait and resend after 429/503 where
// repeating is safe, else hand the answer back.
import { RETRY_STATUSES, type RetryPolicy, retryDelay } from './retry.js';
import type { TokenSource } from './token.js';

export interface Recovery {
  tokens: TokenSource;
  retry: RetryPolicy;
  now: () => number;
}

export interface Sent {
  /** The answer to the first send. */
  response: Response;
  /** The token that send carried. */
  token: string;
  /** Whether the operation may be repeated after a 429/503 (see isRetrySafe). */
  safe: boolean;
  signal: AbortSignal | null | undefined;
  /** Sends the same request again with `token`. */
  resend: (token: string) => Promise<Response>;
}

export const needsRecovery = (status: number) => status === 401 || RETRY_STATUSES.has(status);

export async function recover({ tokens, retry, now }: Recovery, sent: Sent): Promise<Response> {
  let { response: current, token } = sent;
  let refreshed = false;
  let attempt = 1;
  for (;;) {
    if (current.status === 401 && !refreshed) {
      // A 401 means the request was not processed, so even an order creation may be sent again.
      refreshed = true;
      tokens.invalidate(token);
      token = await tokens.get();
    } else if (sent.safe && RETRY_STATUSES.has(current.status) && attempt < retry.attempts) {
      const delay = retryDelay(current.headers.get('Retry-After'), attempt, retry, now());
      if (delay === undefined) return current;
      await retry.sleep(delay, sent.signal ?? undefined);
      attempt += 1;
    } else {
      return current;
    }
    await current.body?.cancel();
    current = await sent.resend(token);
  }
}
