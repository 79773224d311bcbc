// A failed assertion in words a server's developer reads ("GET /api/v1/orders/SM1: expected status 403, got 200"), not
// in the assertion library's ("expected 200 to be 403 // Object.is equality").

const MAX_VALUE = 300;

/** A value as it would be written in JSON (strings quoted), cut short when long. */
export function show(value: unknown): string {
  let text: string;
  if (value === undefined) text = 'undefined';
  else if (value instanceof RegExp) text = String(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text;
}

/** How each matcher's expectation reads, given the expected value; the more specific first. */
const MATCHERS: [RegExp, (expected: string) => string][] = [
  [/^not to (?:be|equal|deeply equal|strictly equal)\b/, (e) => `anything but ${e}`],
  [/^to be greater than or equal to\b/, (e) => `at least ${e}`],
  [/^to be greater than\b/, (e) => `more than ${e}`],
  [/^to be less than or equal to\b/, (e) => `at most ${e}`],
  [/^to be less than\b/, (e) => `less than ${e}`],
  [/^to match\b/, (e) => `a value matching ${e}`],
  [/^to (?:contain|include)\b/, (e) => `a value containing ${e}`],
  [/^to have (?:a )?length(?: of)?\b/, (e) => `a length of ${e}`],
  [/^to (?:be|equal|deeply equal|strictly equal)\b/, (e) => e],
];

interface AssertionLike {
  message: string;
  actual?: unknown;
  expected?: unknown;
}

/** The words of any error a check threw: an assertion's expectation and what came, else the error's own message. */
export function inWords(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const e = error as Error & AssertionLike;
  const message = e.message.replace(/ \/\/ Object\.is equality$/, '');
  const at = message.lastIndexOf(': expected ');
  const what = at >= 0 ? message.slice(0, at) : message.startsWith('expected ') ? '' : undefined;
  if (what === undefined || !('expected' in e)) return message;
  // A check written as a sentence (`expect(ok, 'the event is accepted (2xx), got 500').toBe(true)`): the sentence says
  // it.
  if (typeof e.expected === 'boolean' && typeof e.actual === 'boolean' && what)
    return /\bexpected\b/.test(what) ? what : `expected: ${what}`;
  // "<actual> to <matcher> <expected>": the matcher follows the actual value as the library printed it.
  const phrase = message
    .slice(at >= 0 ? at + ': expected '.length : 'expected '.length)
    .replace(/^.*? (?=(?:not )?to )/s, '');
  const matcher = MATCHERS.find(([re]) => re.test(phrase));
  if (!matcher) return message;
  // Some matchers leave `expected` unset; the library printed it after the matcher's words.
  const printed = e.expected === undefined ? phrase.replace(matcher[0], '').trim() : undefined;
  const expected = matcher[1](printed || show(e.expected));
  // A status is the most common subject: "GET /x status" reads "GET /x: expected status 403, got 200".
  const status = /^(?:(.*) )?status$/.exec(what);
  if (status) return `${status[1] ? `${status[1]}: ` : ''}expected status ${expected}, got ${show(e.actual)}`;
  return `${what ? `${what}: ` : ''}expected ${expected}, got ${show(e.actual)}`;
}
