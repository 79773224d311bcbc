// The check lint runs on the extensions code reads as facts: x-retry-safe on every operation, x-request-limits whole.
import { expect, test } from 'vitest';
import { checkExtensions } from '../lib/extensions.mjs';

const limits = { bodyBytes: 1048576, depth: 32, members: 1000, containers: 20000 };
const docWith = (method: string, retrySafe: unknown, requestLimits?: unknown) => ({
  paths: { '/x': { [method]: { operationId: 'x', ...(retrySafe === undefined ? {} : { 'x-retry-safe': retrySafe }) } } },
  ...(requestLimits === undefined ? {} : { info: { 'x-request-limits': requestLimits } }),
});

test.each([
  ['a POST safe to repeat', docWith('post', true), []],
  ['a POST not safe to repeat', docWith('post', false), []],
  ['a GET safe to repeat', docWith('get', true, limits), []],
  ['no x-retry-safe', docWith('post', undefined), ['x-retry-safe must be true or false']],
  ['x-retry-safe not a boolean', docWith('put', 'yes'), ['x-retry-safe must be true or false']],
  ['a safe method said unsafe', docWith('get', false), ['false on a safe method']],
  ['request limits missing a key', docWith('get', true, { ...limits, depth: undefined }), ['x-request-limits']],
  ['request limits with an unknown key', docWith('get', true, { ...limits, items: 3 }), ['x-request-limits']],
  ['request limits not positive integers', docWith('get', true, { ...limits, members: 0.5 }), ['x-request-limits']],
])('%s', (_name, doc, want) => {
  const problems = checkExtensions(doc);
  expect(problems.length).toBe(want.length);
  want.forEach((w, i) => expect(problems[i]).toContain(w));
});
