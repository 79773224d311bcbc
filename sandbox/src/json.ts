// Strict JSON for request bodies (decision X12): valid UTF-8, within structural limits, no key twice in one object, so
// a body can never be read one way here and another way by the next parser, and no body makes the parser itself slow.
import { isUtf8 } from 'node:buffer';
import { REQUEST_LIMITS } from './limits.ts';

// The structure a body may have is the spec's (`x-request-limits`): far beyond what the contract needs (its deepest
// body, an order, is 5 levels; its largest object has 17 members; its largest body, 100 parcels of 100 products, about
// 10,200 objects and arrays). Past them the body is refused before it is parsed.

export type Excess = 'depth' | 'members' | 'containers';
export type JsonProblem = 'not-utf8' | { excess: Excess } | 'duplicate-key' | { syntax: string };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Index of the quote that closes the string opening at `open`, or -1 when the text ends first. */
function closingQuote(text: string, open: number): number {
  let end = text.indexOf('"', open + 1);
  while (end >= 0) {
    let run = 0;
    while (text.charCodeAt(end - 1 - run) === BACKSLASH) run++;
    if (run % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return -1;
}

/**
 * The first structural limit `text` (not yet known to be JSON) goes past: nesting depth, members
 * of one object, or objects and arrays in all; undefined when it stays within them. Stops at the
 * first excess, and never builds anything.
 */
export function excess(text: string): Excess | undefined {
  // Per open container: its commas so far, negative for an array (whose items are not limited one by one).
  const commas: number[] = [];
  let containers = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = closingQuote(text, i);
      if (i < 0) return undefined;
    } else if (c === 0x7b || c === 0x5b) {
      if (commas.length >= REQUEST_LIMITS.depth) return 'depth';
      if (++containers > REQUEST_LIMITS.containers) return 'containers';
      commas.push(c === 0x7b ? 0 : -1);
    } else if (c === 0x7d || c === 0x5d) commas.pop();
    else if (c === 0x2c) {
      const top = commas.length - 1;
      if (top >= 0 && commas[top]! >= 0 && ++commas[top]! >= REQUEST_LIMITS.members) return 'members';
    }
  }
  return undefined;
}

/**
 * Whether an object of `text` has a key twice, given `value`, what JSON.parse made of it (which
 * kept the last of repeated keys). One pass that walks `value` alongside the text: each object
 * must have as many keys parsed as it has key strings in the text. Only the keys that lead to a
 * nested object or array are read as strings, so the cost does not grow with the number of keys.
 */
function hasDuplicateKey(text: string, value: unknown): boolean {
  // Per open container: what JSON.parse made of it, and its key strings (object) or items before the current one
  // (array).
  const containers: unknown[] = [];
  const counts: number[] = [];
  let expectKey = false;
  let keyStart = -1;
  let keyEnd = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const top = containers.length - 1;
    if (c === QUOTE) {
      const end = closingQuote(text, i);
      if (expectKey) {
        keyStart = i;
        keyEnd = end;
        counts[top]!++;
        expectKey = false;
      }
      i = end;
    } else if (c === 0x7b || c === 0x5b) {
      let child: unknown = value;
      if (top >= 0) {
        const parent = containers[top];
        if (Array.isArray(parent)) child = parent[counts[top]!];
        else {
          const raw = text.slice(keyStart, keyEnd + 1);
          child = (parent as Record<string, unknown>)[
            raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1)
          ];
        }
      }
      // A repeated key upstream can pair this text with the wrong value: that mismatch is a duplicate too.
      if (typeof child !== 'object' || child === null || Array.isArray(child) !== (c === 0x5b)) return true;
      containers.push(child);
      counts.push(0);
      expectKey = c === 0x7b;
    } else if (c === 0x7d) {
      const object = containers.pop() as object;
      if (Object.keys(object).length !== counts.pop()) return true;
      expectKey = false;
    } else if (c === 0x5d) {
      containers.pop();
      counts.pop();
    } else if (c === 0x2c) {
      if (Array.isArray(containers[top])) counts[top]!++;
      else expectKey = true;
    }
  }
  return false;
}

/** The parsed body, or what makes it unacceptable. */
export function parseStrict(raw: Buffer): { value: unknown } | { problem: JsonProblem } {
  if (!isUtf8(raw)) return { problem: 'not-utf8' };
  const text = raw.toString('utf8');
  // Before JSON.parse, which would spend its time building what is refused anyway.
  const over = excess(text);
  if (over) return { problem: { excess: over } };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: { syntax: error instanceof Error ? error.message : 'Unparseable JSON.' } };
  }
  return hasDuplicateKey(text, value) ? { problem: 'duplicate-key' } : { value };
}
