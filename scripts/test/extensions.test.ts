// The check lint runs on the extensions code reads as facts: x-retry-safe on every operation, x-request-limits whole,
// x-realm stated and the realms the challenge headers show (shared, or a response's own) among them,
// x-tolerance-seconds whole seconds on a shared header parameter.
import { expect, test } from 'vitest';
import { checkExtensions } from '../lib/extensions.mjs';

const limits = { bodyBytes: 1048576, depth: 32, members: 1000, containers: 20000 };
const bounds = { tokensPerClient: 100, webhookLogBodyBytes: 8388608, waitingDeliveries: 100 };
const docWith = (method: string, retrySafe: unknown, info?: Record<string, unknown>) => ({
  paths: {
    '/x': { [method]: { operationId: 'x', ...(retrySafe === undefined ? {} : { 'x-retry-safe': retrySafe }) } },
  },
  ...(info === undefined ? {} : { info }),
});

/** A document whose OAuth2 scheme states `realm` (or none) and whose challenge header shows `example`. */
const withRealm = (realm: string | undefined, example: string) => ({
  ...docWith('get', true),
  components: {
    securitySchemes: { oauth2: { type: 'oauth2', ...(realm === undefined ? {} : { 'x-realm': realm }) } },
    headers: { WwwAuthenticate: { schema: { type: 'string' }, example } },
  },
});

/** A document whose bearer scheme states `realm` and whose 401 (shared, or the operation's own) shows `challenge`. */
const withResponseHeader = (realm: string, where: 'components' | 'paths', challenge: string) => {
  const unauthorized = { description: 'x', headers: { 'WWW-Authenticate': { description: `\`${challenge}\`` } } };
  return {
    paths: { '/x': { get: { 'x-retry-safe': true, responses: where === 'paths' ? { 401: unauthorized } : {} } } },
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', 'x-realm': realm } },
      ...(where === 'components' ? { responses: { Unauthorized: unauthorized } } : {}),
    },
  };
};

/** A document whose signature header parameter states `tolerance`, shared or (`inline`) written on an operation. */
const withTolerance = (tolerance: unknown, where: 'components' | 'inline' = 'components', at = 'header') => {
  const parameter = { name: 'Starship-Signature', in: at, 'x-tolerance-seconds': tolerance };
  const operation = { 'x-retry-safe': true, ...(where === 'inline' ? { parameters: [parameter] } : {}) };
  return {
    paths: { '/x': { get: operation } },
    ...(where === 'components' ? { components: { parameters: { StarshipSignature: parameter } } } : {}),
  };
};

test.each([
  ['a POST safe to repeat', docWith('post', true), []],
  ['a POST not safe to repeat', docWith('post', false), []],
  [
    'a GET safe to repeat, with both bounds',
    docWith('get', true, { 'x-request-limits': limits, 'x-sandbox-bounds': bounds }),
    [],
  ],
  ['no x-retry-safe', docWith('post', undefined), ['x-retry-safe must be true or false']],
  ['x-retry-safe not a boolean', docWith('put', 'yes'), ['x-retry-safe must be true or false']],
  ['a safe method said unsafe', docWith('get', false), ['false on a safe method']],
  [
    'request limits missing a key',
    docWith('get', true, { 'x-request-limits': { ...limits, depth: undefined } }),
    ['info.x-request-limits'],
  ],
  [
    'request limits with an unknown key',
    docWith('get', true, { 'x-request-limits': { ...limits, items: 3 } }),
    ['info.x-request-limits'],
  ],
  [
    'request limits not positive integers',
    docWith('get', true, { 'x-request-limits': { ...limits, members: 0.5 } }),
    ['info.x-request-limits'],
  ],
  ['request limits not an object', docWith('get', true, { 'x-request-limits': 1048576 }), ['info.x-request-limits']],
  [
    'a message catalogue',
    docWith('get', true, { 'x-messages': { orderNotFound: 'Order {reference} was not found.' } }),
    [],
  ],
  ['an empty message catalogue', docWith('get', true, { 'x-messages': {} }), ['info.x-messages']],
  [
    'a message that is not a sentence',
    docWith('get', true, { 'x-messages': { invalid: 'invalid' } }),
    ['info.x-messages.invalid'],
  ],
  [
    'a message with a malformed placeholder',
    docWith('get', true, { 'x-messages': { notFound: 'Order {Ref} was not found.' } }),
    ['info.x-messages.notFound'],
  ],
  [
    'sandbox bounds missing a key',
    docWith('get', true, { 'x-sandbox-bounds': { tokensPerClient: 100 } }),
    ['info.x-sandbox-bounds'],
  ],
  ['a realm the challenges name', withRealm('starmile', 'Bearer realm="starmile"'), []],
  ['a challenge naming another realm', withRealm('starmile', 'Bearer realm="other"'), ['realm="other"']],
  ['a challenge with no realm stated', withRealm(undefined, 'Bearer realm="starmile"'), ['realm="starmile"']],
  ['a realm that is not a token', withRealm('star mile', 'Bearer'), ['x-realm: one realm name']],
  [
    'a shared 401 response whose header names another realm',
    withResponseHeader('starship', 'components', 'Bearer realm="other"'),
    ['components.responses.Unauthorized.headers.WWW-Authenticate: realm="other"'],
  ],
  [
    'an operation’s 401 whose header describes another realm',
    withResponseHeader('starship', 'paths', 'Bearer realm="other"'),
    ['paths./x.get.responses.401.headers.WWW-Authenticate: realm="other"'],
  ],
  ['a signature tolerance in seconds', withTolerance(300), []],
  [
    'a tolerance that is not whole seconds',
    withTolerance('5 minutes'),
    ['components.parameters.StarshipSignature.x-tolerance-seconds'],
  ],
  ['a tolerance of nothing', withTolerance(0), ['components.parameters.StarshipSignature.x-tolerance-seconds']],
  [
    'a tolerance on a query parameter',
    withTolerance(300, 'components', 'query'),
    ['components.parameters.StarshipSignature.x-tolerance-seconds'],
  ],
  ['a tolerance the facts would not read', withTolerance(300, 'inline'), ['belongs on a parameter of components']],
  ['a response header naming the stated realm', withResponseHeader('starship', 'paths', 'Bearer realm="starship"'), []],
])('%s', (_name, doc, want) => {
  const problems = checkExtensions(doc);
  expect(problems.length).toBe(want.length);
  for (const [i, w] of want.entries()) expect(problems[i]).toContain(w);
});
