// Every error message the spec's examples show (a `message`, or a token error's `error_description`) is one of its
// catalogue (`x-messages`), as the sandbox produces it: an
// example cannot promise a message the implementation does not send, nor the catalogue drift from the examples.
import { describe, expect, test } from 'vitest';
import { loadSpec } from '../../contract/index.ts';
import { fill, isFilledFrom } from '../../contract/messages.ts';
import { messages as partnerMessages } from '../../contract/starmile-partner.ts';

type Api = 'starmile-partner' | 'starship-rewards' | 'sandbox-admin';
const catalogue = (api: Api): Record<string, string> => loadSpec(api).info['x-messages'];
/**
 * The catalogue an API's answers draw on: its own, and for the operator API the Partner API's too (its info says so).
 */
const cataloguesOf = (api: Api) => ({
  ...(api === 'sandbox-admin' ? catalogue('starmile-partner') : {}),
  ...catalogue(api),
});
const inCatalogue = (api: Api, message: string) =>
  Object.values(cataloguesOf(api)).some((template) => isFilledFrom(template, message));

/** Each example's `message`, and an OAuth2 error's `error_description` (the token endpoint's sentence). */
const exampleMessages = (api: Api) =>
  Object.entries(
    loadSpec(api).components.examples as Record<string, { value?: { message?: unknown; error_description?: unknown } }>,
  )
    .map(([name, example]) => [name, example.value?.message ?? example.value?.error_description] as const)
    .filter((entry): entry is readonly [string, string] => typeof entry[1] === 'string')
    .map(([name, message]) => [api, name, message] as const);

describe('the examples show only catalogued messages', () => {
  const all = (['starmile-partner', 'starship-rewards', 'sandbox-admin'] as const).flatMap(exampleMessages);
  test('every API has error examples to check', () => expect(new Set(all.map(([api]) => api)).size).toBe(3));
  test.each(all)('%s %s', (api, _name, message) => expect(inCatalogue(api, message), message).toBe(true));
});

describe('the check fails on a message the catalogue does not produce', () => {
  test.each([
    ['a sentence of its own', 'The data was not valid.'],
    ['a catalogued sentence reworded', 'Order PO-1 could not be found.'],
    ['a catalogued sentence without its full stop', 'Order PO-1 was not found'],
    ['a placeholder left out', 'Order was not found.'],
    ['another API’s message', 'The API key is missing or unknown.'],
  ])('%s', (_name, message) => expect(inCatalogue('starmile-partner', message)).toBe(false));
});

test('a template filled is what the sandbox sends', () => {
  expect(fill(partnerMessages.orderNotFound, { reference: 'PO-10294' })).toBe('Order PO-10294 was not found.');
  expect(fill(partnerMessages.invalid)).toBe('The given data was invalid.');
  expect(isFilledFrom(partnerMessages.forbidden, fill(partnerMessages.forbidden, { scope: 'orders:update' }))).toBe(
    true,
  );
});
