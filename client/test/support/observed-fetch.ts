// A fetch that records every request and answers from a per-route script, so client tests observe real Requests without
// a mocking library.

export interface Seen {
  method: string;
  path: string;
  search: string;
  authorization: string | null;
  contentType: string | null;
  body: string | undefined;
  headers: Record<string, string>;
}

export interface Answer {
  status: number;
  body?: unknown;
  /** Sent as is instead of the JSON of `body`. */
  raw?: string;
  headers?: Record<string, string>;
}

/** Answers per `"METHOD /path"`, in order; the last one repeats. A function answers every request to its route. */
export type Script = Record<string, Answer[] | ((seen: Seen) => Answer | Promise<Answer>)>;

export const tokenAnswer = (n: number, expiresIn = 3600): Answer => ({
  status: 200,
  body: { access_token: `tok-${n}`, token_type: 'Bearer', expires_in: expiresIn, scope: 'orders:create status:read' },
  headers: { 'Cache-Control': 'no-store' },
});

/** Every route not scripted answers 599, so an unexpected request shows in the assertion, not as a hang. */
export function observedFetch(script: Script = {}) {
  const seen: Seen[] = [];
  let tokens = 0;
  const routes: Script = { 'POST /oauth/token': () => tokenAnswer(++tokens), ...script };

  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    // As a real fetch does, so callers' abort signals are observable.
    if (request.signal.aborted) throw request.signal.reason;
    const url = new URL(request.url);
    const entry: Seen = {
      method: request.method,
      path: url.pathname,
      search: url.search,
      authorization: request.headers.get('Authorization'),
      contentType: request.headers.get('Content-Type'),
      body: request.body === null ? undefined : await request.text(),
      headers: Object.fromEntries(request.headers),
    };
    seen.push(entry);
    const key = `${entry.method} ${entry.path}`;
    const route = routes[key];
    let answer: Answer;
    if (typeof route === 'function') answer = await route(entry);
    else if (route?.length) answer = (route.length > 1 ? route.shift() : route[0]) as Answer;
    else answer = { status: 599, body: { message: `unscripted ${key}` } };
    return new Response(answer.raw ?? (answer.body === undefined ? null : JSON.stringify(answer.body)), {
      status: answer.status,
      headers: { 'Content-Type': 'application/json', ...answer.headers },
    });
  };

  return {
    fetch,
    seen,
    /** `"METHOD /path"` of every request, in order, for one readable assertion. */
    trail: () => seen.map((s) => `${s.method} ${s.path}${s.search}`),
  };
}

/** A clock the test moves by hand. */
export function manualClock(start = 0) {
  let t = start;
  return {
    now: () => t,
    set: (ms: number) => {
      t = ms;
    },
  };
}

/** A sleep that records each wait and returns at once. */
export function recordedSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}
