// Failures in words: each kind of assertion a rule makes, as the reports print it.
import { expect as check, test } from 'vitest';
import { expect } from '../src/expect.ts';
import { inWords } from '../src/words.ts';

const thrown = (assertion: () => void): unknown => {
  try {
    assertion();
  } catch (error) {
    return error;
  }
  throw new Error('the assertion did not fail');
};

test.each<[string, () => void, string]>([
  [
    'a status',
    () => expect(200, 'GET /api/v1/orders/SM1 status').toBe(403),
    'GET /api/v1/orders/SM1: expected status 403, got 200',
  ],
  ['a status alone', () => expect(200, 'status').toBe(403), 'expected status 403, got 200'],
  ['a deep equality', () => expect(['a'], 'leaks').toEqual([]), 'leaks: expected [], got ["a"]'],
  [
    'a pattern',
    () => expect('Bearer', 'WWW-Authenticate').toMatch(/realm/),
    'WWW-Authenticate: expected a value matching /realm/, got "Bearer"',
  ],
  ['a lower bound', () => expect(0, 'entries').toBeGreaterThan(0), 'entries: expected more than 0, got 0'],
  ['an upper bound', () => expect(3, 'a page').toBeLessThanOrEqual(1), 'a page: expected at most 1, got 3'],
  [
    'a check written as a sentence',
    () => expect(false, 'the event is accepted (2xx), got 500').toBe(true),
    'expected: the event is accepted (2xx), got 500',
  ],
  [
    'a sentence that says what it expected',
    () => expect(false, 'POST /x: expected a refusal (a 4xx), got 201').toBe(true),
    'POST /x: expected a refusal (a 4xx), got 201',
  ],
  ['no description', () => expect(1).toBe(2), 'expected 2, got 1'],
  ['a negation', () => expect('a', 'cursor').not.toBe('a'), 'cursor: expected anything but "a", got "a"'],
  [
    'a missing value',
    () => expect(undefined, 'external_parent_id').toBe('x'),
    'external_parent_id: expected "x", got undefined',
  ],
  ['a member', () => expect(['a'], 'ids').toContain('b'), 'ids: expected a value containing \'b\', got ["a"]'],
])('%s', (_name, assertion, words) => {
  check(inWords(thrown(assertion))).toBe(words);
});

test('an error that is no assertion keeps its message', () => {
  check(inWords(new Error('the "advanceParcel" hook answered 500'))).toBe('the "advanceParcel" hook answered 500');
});
