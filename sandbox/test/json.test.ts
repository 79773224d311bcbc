// Strict JSON (decision X12): which bodies parse, and which are refused as not UTF-8, too deep, or repeating a key,
// whatever the repeated key's position, spelling or neighbours.
import { describe, expect, test } from 'vitest';
import { parseStrict } from '../src/json.ts';
import { REQUEST_LIMITS as LIMITS } from '../src/limits.ts';

const problem = (text: string | Buffer) => {
  const got = parseStrict(Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'));
  return 'value' in got
    ? 'ok'
    : typeof got.problem === 'string'
      ? got.problem
      : 'excess' in got.problem
        ? got.problem.excess
        : 'syntax';
};
const nest = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const objectOf = (members: number) => `{${Array.from({ length: members }, (_, i) => `"k${i}":1`).join(',')}}`;

describe('parseStrict', () => {
  test.each([
    ['an object', '{"a":1,"b":{"c":[1,{"d":2}]}}', 'ok'],
    ['keys that differ only in case', '{"a":1,"A":2}', 'ok'],
    ['the same key in sibling objects', '[{"a":1},{"a":2}]', 'ok'],
    ['the same key at two depths', '{"a":{"a":{"a":1}}}', 'ok'],
    ['integer-like keys, which JSON.parse reorders', '{"b":{"x":1},"1":{"y":2},"0":[{"z":3}]}', 'ok'],
    ['a key __proto__', '{"__proto__":{"a":1},"b":2}', 'ok'],
    ['quotes and backslashes inside strings', '{"a\\"b":"}{][,\\\\","c\\\\":{"d":"\\""}}', 'ok'],
    ['an empty object and array', '{"a":{},"b":[],"c":[{}]}', 'ok'],
    ['a top-level scalar', '"x"', 'ok'],
    [`${LIMITS.depth} levels`, nest(LIMITS.depth), 'ok'],
    ['a repeated key', '{"a":1,"a":1}', 'duplicate-key'],
    [
      'a repeated key, last of many',
      `{${Array.from({ length: 500 }, (_, i) => `"k${i}":1`).join(',')},"k3":2}`,
      'duplicate-key',
    ],
    ['a repeated key in a nested object', '{"a":{"b":1,"c":2,"b":3}}', 'duplicate-key'],
    ['a repeated key in an object inside an array', '[1,{"x":[{"y":1},{"y":1,"y":2}]}]', 'duplicate-key'],
    ['a repeated key spelt with an escape', '{"ab":1,"a\\u0062":2}', 'duplicate-key'],
    ['a repeated key whose values are objects', '{"a":{"x":1},"a":{"y":2,"z":3}}', 'duplicate-key'],
    ['a repeated integer-like key', '{"1":{"a":1},"0":2,"1":3}', 'duplicate-key'],
    ['a repeated __proto__', '{"__proto__":1,"__proto__":2}', 'duplicate-key'],
    [`${LIMITS.depth + 1} levels`, nest(LIMITS.depth + 1), 'depth'],
    ['deep objects', `${'{"a":'.repeat(LIMITS.depth + 1)}1${'}'.repeat(LIMITS.depth + 1)}`, 'depth'],
    [`an object of ${LIMITS.members} members`, objectOf(LIMITS.members), 'ok'],
    [`an object of ${LIMITS.members + 1} members`, objectOf(LIMITS.members + 1), 'members'],
    ['an array of 100,000 numbers (items are not limited one by one)', `[${Array(100_000).fill(1).join(',')}]`, 'ok'],
    [
      `${LIMITS.containers} objects and arrays`,
      `[${Array(LIMITS.containers - 1)
        .fill('{}')
        .join(',')}]`,
      'ok',
    ],
    [`${LIMITS.containers + 1} objects and arrays`, `[${Array(LIMITS.containers).fill('{}').join(',')}]`, 'containers'],
    ['commas inside strings do not count as members', `{"a":"${','.repeat(5000)}"}`, 'ok'],
    ['brackets inside strings do not count as depth', `["${'['.repeat(100)}"]`, 'ok'],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), 'not-utf8'],
    ['a UTF-8 encoded surrogate', Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]), 'not-utf8'],
    ['an unterminated string', '{"a', 'syntax'],
    ['trailing garbage', '{} x', 'syntax'],
  ])('%s -> %s', (_name, text, want) => {
    expect(problem(text)).toBe(want);
  });
});
