// Every error message the spec's examples show (a `message`, a token error's `error_description`, and each field
// message of `errors`) is one the sandbox builds from: the spec's catalogue (`x-messages`), or for a field the
// validator's wording or the JSON parser's. So an example cannot promise a message the sandbox has no source for, nor
// the catalogue drift from the examples. (The sandbox's own tests check what it sends, message by message.)
import { describe, expect, test } from 'vitest';
import {
  API_NAMES,
  type ApiName,
  compileSchema,
  loadSpec,
  toFieldErrors,
  validatorMessages,
} from '../../contract/index.ts';
import { fill, isFilledFrom } from '../../contract/messages.ts';
import { messages as partnerMessages } from '../../contract/starmile-partner.ts';

const catalogue = (api: ApiName): Record<string, string> => loadSpec(api).info['x-messages'];
/**
 * The catalogue an API's answers draw on: its own, and for the operator API the Partner API's too (its info says so).
 */
const cataloguesOf = (api: ApiName) => ({
  ...(api === 'sandbox-admin' ? catalogue('starmile-partner') : {}),
  ...catalogue(api),
});
const inCatalogue = (api: ApiName, message: string) =>
  Object.values(cataloguesOf(api)).some((template) => isFilledFrom(template, message));

/** Ajv's own wording of the keywords the specs use, each proven below to be what the validator writes. */
const AJV_WORDING = {
  minimum: ['must be >= {limit}', { minimum: 1 }, 0],
  maximum: ['must be <= {limit}', { maximum: 5000 }, 5001],
  maxLength: ['must NOT have more than {limit} characters', { maxLength: 3 }, 'abcd'],
  minLength: ['must NOT have fewer than {limit} characters', { minLength: 2 }, 'a'],
  pattern: ['must match pattern "{pattern}"', { pattern: '^a' }, 'b'],
  format: ['must match format "{format}"', { format: 'date-time' }, 'x'],
  type: ['must be {type}', { type: 'integer' }, 'x'],
} as const;
const validatorTemplates = [...Object.values(validatorMessages), ...Object.values(AJV_WORDING).map(([t]) => t)];
/** What the JSON parser says of a body cut off mid-way (the sandbox passes the parser's words on, for `body`). */
const parserMessage = (() => {
  try {
    JSON.parse('{"order_id": ');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('a cut-off body parsed');
})();

/** Whether a field message of `errors` is one the sandbox builds from (T5). */
const fieldMessageKnown = (api: ApiName, field: string, message: string) =>
  inCatalogue(api, message) ||
  validatorTemplates.some((template) => isFilledFrom(template, message)) ||
  (field === 'body' && message === parserMessage);

interface ExampleValue {
  message?: unknown;
  error_description?: unknown;
  errors?: Record<string, unknown[]>;
}
const examplesOf = (api: ApiName) =>
  Object.entries(loadSpec(api).components.examples as Record<string, { value?: ExampleValue }>).map(
    ([name, example]) => [name, example.value ?? {}] as const,
  );

/** Each example's `message`, and an OAuth2 error's `error_description` (the token endpoint's sentence). */
const exampleMessages = (api: ApiName) =>
  examplesOf(api)
    .map(([name, value]) => [name, value.message ?? value.error_description] as const)
    .filter((entry): entry is readonly [string, string] => typeof entry[1] === 'string')
    .map(([name, message]) => [api, name, message] as const);

/** Each field message of an example's `errors`. */
const exampleFieldMessages = (api: ApiName) =>
  examplesOf(api).flatMap(([name, value]) =>
    Object.entries(value.errors ?? {}).flatMap(([field, texts]) =>
      texts.map((text) => [api, `${name} ${field}`, field, String(text)] as const),
    ),
  );

describe('the examples show only catalogued messages', () => {
  const all = API_NAMES.flatMap(exampleMessages);
  test('every API has error examples to check', () => expect(new Set(all.map(([api]) => api)).size).toBe(3));
  test.each(all)('%s %s', (api, _name, message) => expect(inCatalogue(api, message), message).toBe(true));
});

describe('the examples show only field messages the catalogue, the validator or the parser produce', () => {
  const all = API_NAMES.flatMap(exampleFieldMessages);
  test('every API has field messages to check', () => expect(new Set(all.map(([api]) => api)).size).toBe(3));
  test.each(all)('%s %s', (api, _name, field, message) =>
    expect(fieldMessageKnown(api, field, message), message).toBe(true),
  );
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

describe('the check fails on a field message nothing produces', () => {
  test.each([
    ['a validator message reworded', 'reason', 'Must be at most 1000 characters.'],
    ['an enum message capitalised', 'package_type', 'Must be one of: fragile, breakable, liquid.'],
    ['a catalogued field message reworded', 'since', 'Unknown or expired cursor.'],
    ['a parser message with a full stop added', 'body', `${parserMessage}.`],
    ['a parser message on another field', 'order_id', parserMessage],
  ])('%s', (_name, field, message) => expect(fieldMessageKnown('starmile-partner', field, message)).toBe(false));
});

test.each(Object.entries(AJV_WORDING))(
  'the validator words %s as the table says',
  (_keyword, [template, schema, value]) => {
    const validate = compileSchema({ type: 'object', properties: { field: schema } });
    expect(validate({ field: value })).toBe(false);
    expect(toFieldErrors(validate.errors).field).toEqual([expect.toSatisfy((m: string) => isFilledFrom(template, m))]);
  },
);

test('a template filled is what the sandbox sends', () => {
  expect(fill(partnerMessages.orderNotFound, { reference: 'PO-10294' })).toBe('Order PO-10294 was not found.');
  expect(fill(partnerMessages.invalid)).toBe('The given data was invalid.');
  expect(isFilledFrom(partnerMessages.forbidden, fill(partnerMessages.forbidden, { scope: 'orders:update' }))).toBe(
    true,
  );
});
