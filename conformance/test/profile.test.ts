// Profiles: validated with errors naming the bad path, secrets read from the environment, the example profile valid.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { scopes } from '../../contract/starmile-partner.ts';
import { loadProfile, PROFILE_SCHEMA_FILE, ProfileError, profileProblems, resolveProfile } from '../src/profile.ts';
import { secrets } from '../src/secrets.ts';
import { sandboxProfile } from './support/sandbox-profile.ts';

const valid = () => JSON.parse(JSON.stringify(sandboxProfile('http://127.0.0.1:4020')));
const exampleFile = fileURLToPath(new URL('../profiles/example.json', import.meta.url));

describe('a broken profile is rejected naming the path at fault', () => {
  const cases: [string, (p: any) => void, string][] = [
    ['missing full credential', (p) => delete p.credentials.full, 'credentials.full: is required'],
    [
      'a secret that is a number',
      (p) => (p.credentials.otherPartner.clientSecret = 42),
      'credentials.otherPartner.clientSecret: must be a string, or {"env"',
    ],
    [
      'a base URL with a trailing slash',
      (p) => (p.baseUrl = 'http://127.0.0.1:4020/'),
      'baseUrl: must be an http:// or https:// URL',
    ],
    [
      'a service id that is not an integer',
      (p) => (p.fixtures.services.pudo = 'six'),
      'fixtures.services.pudo: must be integer',
    ],
    [
      'an unknown scope',
      (p) => (p.credentials.narrow[0].scopes = ['orders:fly']),
      'credentials.narrow.0.scopes.0: must be one of',
    ],
    [
      'an unknown hook',
      (p) => (p.hooks.resetDatabase = { method: 'POST', url: '{baseUrl}/reset' }),
      'hooks.resetDatabase: is not a profile field',
    ],
    ['a typo in a field', (p) => (p.fixtures.pudoPoint = {}), 'fixtures.pudoPoint: is not a profile field'],
    [
      'a missing pair of regions',
      (p) => (p.fixtures.regions.sameLeafTwoParents = [p.fixtures.regions.mapped]),
      'fixtures.regions.sameLeafTwoParents: must NOT have fewer than 2 items',
    ],
  ];
  test.each(cases)('%s', (_what, breakIt, want) => {
    const p = valid();
    breakIt(p);
    expect(profileProblems(p).join('\n')).toContain(want);
    expect(() => resolveProfile(p, {})).toThrow(ProfileError);
  });
});

test('the published profile schema names exactly the scopes of the spec, in its order (C32)', () => {
  const schema = JSON.parse(readFileSync(PROFILE_SCHEMA_FILE, 'utf8'));
  expect(schema.$defs.narrowCredential.properties.scopes.items.enum).toEqual([...scopes]);
  expect(schema.properties.credentials.properties.full.description).toBe(`Holds every scope: ${scopes.join(', ')}.`);
});

test('the derived sandbox profile is valid', () => {
  expect(profileProblems(valid())).toEqual([]);
});

test('narrow credentials must leave every scope uncovered by at least one of them', () => {
  const p = valid();
  p.credentials.narrow = [{ clientId: 'x', clientSecret: 'secret-x', scopes: ['status:read'] }];
  expect(() => resolveProfile(p, {})).toThrow(/no credential lacks status:read/);
});

test('secrets come from the environment, are masked, and a missing variable is named', () => {
  const p = valid();
  p.credentials.full.clientSecret = { env: 'CF_TEST_FULL_SECRET' };
  expect(() => resolveProfile(p, {})).toThrow(
    /credentials\.full\.clientSecret: environment variable CF_TEST_FULL_SECRET is not set/,
  );
  const resolved = resolveProfile(p, { CF_TEST_FULL_SECRET: 'from-the-env-9f3k' });
  expect(resolved.credentials.full.secret).toBe('from-the-env-9f3k');
  expect(secrets.mask('secret=from-the-env-9f3k;')).toBe('secret=$CF_TEST_FULL_SECRET;');
});

test('the example profile in conformance/profiles is valid and resolves with its variables set', () => {
  const env = Object.fromEntries(
    [...readFileSync(exampleFile, 'utf8').matchAll(/"env": "(\w+)"/g)].map((m) => [m[1]!, `value-of-${m[1]}`]),
  );
  const p = loadProfile(exampleFile, env);
  expect(p.hooks.advanceParcel?.headers['X-Operator-Key']).toBe('value-of-STARMILE_OPERATOR_KEY');
  expect(p.timing.concurrency).toBe(4);
  expect(() => loadProfile(exampleFile, {})).toThrow(/STARMILE_FULL_SECRET is not set/);
});
