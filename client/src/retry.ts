// When a Starmile call may be repeated after a 429 or 503 (as the spec's `x-retry-safe` says), and how long to wait
// first.
import { operationFacts } from '../../contract/starmile-partner.js';

export interface RetryOptions {
  /** Tries in all, the first included (default 3). */
  attempts?: number;
  /** First backoff step when the server sends no `Retry-After` (default 250 ms); doubles per try. */
  baseDelayMs?: number;
  /** Longest wait; a `Retry-After` beyond it returns the response instead of waiting (default 30 s). */
  maxDelayMs?: number;
  /** Waits between tries; inject one in tests. It should reject when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A number in [0, 1) for the jitter; inject one in tests. */
  random?: () => number;
}

export type RetryPolicy = Required<RetryOptions>;

export const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/**
 * The operations the spec marks `x-retry-safe` (the reads, and cancelOrder: cancelling an already cancelled order
 * answers 200 and changes nothing), as `METHOD path`; createOrder, updateParcel and reportEvent are never repeated blindly.
 */
const RETRY_SAFE: ReadonlySet<string> = new Set(
  Object.values(operationFacts)
    .filter((op) => op.retrySafe)
    .map((op) => `${op.method} ${op.path}`),
);

export function isRetrySafe(method: string, schemaPath: string): boolean {
  // HEAD is GET without the body (RFC 9110): it is the GET operation's.
  return RETRY_SAFE.has(`${method === 'HEAD' ? 'GET' : method} ${schemaPath}`);
}

/**
 * `Retry-After` as milliseconds from `now`: delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or
 * unreadable.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Every HTTP-date form names its month; without one, Date.parse would read numbers like "1.5" as dates.
  if (!/[A-Za-z]/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait before try `attempt + 1`, or undefined when the server asks for longer than the policy allows.
 * Without `Retry-After`: exponential backoff with equal jitter, so clients that failed together do not return together.
 */
export function retryDelay(
  retryAfter: string | null,
  attempt: number,
  policy: RetryPolicy,
  now: number,
): number | undefined {
  const asked = parseRetryAfter(retryAfter, now);
  if (asked !== undefined) return asked <= policy.maxDelayMs ? asked : undefined;
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return step / 2 + policy.random() * (step / 2);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function retryPolicy(options: RetryOptions = {}): RetryPolicy {
  return {
    attempts: options.attempts ?? 3,
    baseDelayMs: options.baseDelayMs ?? 250,
    maxDelayMs: options.maxDelayMs ?? 30_000,
    sleep: options.sleep ?? sleep,
    random: options.random ?? Math.random,
  };
}
