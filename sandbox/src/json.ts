// Strict JSON for request bodies (decision X11): valid UTF-8 and no key twice in one object, so a body can never be read one way here and another way by the next parser.
import { isUtf8 } from 'node:buffer';

export type JsonProblem = 'not-utf8' | { duplicate: string } | { syntax: string };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The first key that occurs twice in one object of `text`, which JSON.parse has already accepted
 * (so strings are well formed). One pass; keys with escapes are compared decoded, so `"a"` and
 * `"\u0061"` are the same key.
 */
export function duplicateKey(text: string): string | undefined {
  // Per open container: null for an array; for an object, undefined (no key yet), its one key, or a Set of its keys.
  const open: (null | undefined | string | Set<string>)[] = [];
  let expectKey = false;
  // Where the next backslash is (Infinity: none left), so telling an escaped key costs nothing per key.
  let nextBackslash = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let end = text.indexOf('"', i + 1);
      for (;;) {
        let run = 0;
        while (text.charCodeAt(end - 1 - run) === BACKSLASH) run++;
        if (run % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      if (expectKey) {
        if (nextBackslash < i) {
          const found = text.indexOf('\\', i);
          nextBackslash = found < 0 ? Infinity : found;
        }
        const escaped = nextBackslash < end;
        const key: string = escaped ? (JSON.parse(text.slice(i, end + 1)) as string) : text.slice(i + 1, end);
        const top = open.length - 1;
        const seen = open[top];
        if (seen === undefined) open[top] = key;
        else if (typeof seen === 'string') {
          if (seen === key) return key;
          open[top] = new Set([seen, key]);
        } else if (seen instanceof Set) {
          if (seen.has(key)) return key;
          seen.add(key);
        }
        expectKey = false;
      }
      i = end;
    } else if (c === 0x7b) {
      open.push(undefined);
      expectKey = true;
    } else if (c === 0x5b) {
      open.push(null);
      expectKey = false;
    } else if (c === 0x7d || c === 0x5d) {
      open.pop();
      expectKey = false;
    } else if (c === 0x2c) expectKey = open[open.length - 1] !== null;
  }
  return undefined;
}

/** The parsed body, or what makes it unacceptable. */
export function parseStrict(raw: Buffer): { value: unknown } | { problem: JsonProblem } {
  if (!isUtf8(raw)) return { problem: 'not-utf8' };
  const text = raw.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: { syntax: error instanceof Error ? error.message : 'Unparseable JSON.' } };
  }
  const duplicate = duplicateKey(text);
  return duplicate === undefined ? { value } : { problem: { duplicate } };
}
