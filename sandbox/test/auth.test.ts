// Tokens (X1) and bearer checks (D6): the token endpoint's grants and errors, 401 for every bad token, 403 naming the
// scope.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { operationFacts, realms, type Scope } from '../../contract/starmile-partner.ts';
import { DEFAULT_TOKEN_TTL_SECONDS } from '../src/server.ts';
import { fixtures, Harness, secretOf, withFreshSandbox } from './helpers.ts';

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(() => h.close());

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const FULL = 'sm_test_full';
const full = { grant_type: 'client_credentials', client_id: FULL, client_secret: secretOf(FULL) };

describe('POST /oauth/token', () => {
  test('JSON body: a bearer token with every held scope, expires_in = TTL, Cache-Control no-store', async () => {
    const got = await h.call('/oauth/token', { json: full });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: DEFAULT_TOKEN_TTL_SECONDS,
      scope: fixtures.credentials.find((c) => c.client_id === FULL)!.scopes.join(' '),
    });
    expect(got.headers.get('cache-control')).toBe('no-store');
  });

  test('form body and HTTP Basic both work, and tokens are opaque and distinct', async () => {
    const form = await h.call('/oauth/token', {
      body: new URLSearchParams(full).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const viaBasic = await h.call('/oauth/token', {
      body: 'grant_type=client_credentials',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(FULL, secretOf(FULL)) },
    });
    expect([form.status, viaBasic.status]).toEqual([200, 200]);
    expect(form.body.access_token).not.toBe(viaBasic.body.access_token);
    expect(form.body.access_token).not.toContain(FULL);
  });

  test('scope narrows the token: a narrowed token is refused what it left out', async () => {
    const got = await h.call('/oauth/token', { json: { ...full, scope: 'status:read' } });
    expect(got.body.scope).toBe('status:read');
    const create = await h.call('/api/v1/services', { token: got.body.access_token });
    expect(create.status).toBe(403);
  });

  test('an unknown parameter is ignored (RFC 6749 §3.2), not rejected', async () => {
    const got = await h.call('/oauth/token', { method: 'POST', json: { ...full, audience: 'x' } });
    expect(got.status).toBe(200);
    expect(got.body.token_type).toBe('Bearer');
  });

  test.each([
    [
      'credentials in body and Basic',
      { json: full, headers: { authorization: basic(FULL, secretOf(FULL)) } },
      400,
      'invalid_request',
    ],
    ['missing grant_type', { json: { client_id: FULL, client_secret: secretOf(FULL) } }, 400, 'invalid_request'],
    ['password grant', { json: { ...full, grant_type: 'password' } }, 400, 'unsupported_grant_type'],
    ['unknown scope', { json: { ...full, scope: 'orders:delete' } }, 400, 'invalid_scope'],
    [
      'scope not held',
      {
        json: {
          grant_type: 'client_credentials',
          client_id: 'sm_test_read',
          client_secret: secretOf('sm_test_read'),
          scope: 'orders:create',
        },
      },
      400,
      'invalid_scope',
    ],
    ['malformed scope', { json: { ...full, scope: 'ORDERS' } }, 400, 'invalid_scope'],
    [
      'repeated form parameter',
      {
        body: 'grant_type=client_credentials&grant_type=client_credentials',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(FULL, secretOf(FULL)) },
      },
      400,
      'invalid_request',
    ],
    [
      'malformed JSON',
      { body: '{"grant_type":', headers: { 'content-type': 'application/json' } },
      400,
      'invalid_request',
    ],
    ['wrong secret', { json: { ...full, client_secret: 'nope' } }, 401, 'invalid_client'],
    ['unknown client', { json: { ...full, client_id: 'sm_nobody' } }, 401, 'invalid_client'],
    ['no client authentication', { json: { grant_type: 'client_credentials' } }, 401, 'invalid_client'],
    [
      'text/plain body',
      { body: 'grant_type=client_credentials', headers: { 'content-type': 'text/plain' } },
      415,
      'invalid_request',
    ],
  ] as const)('%s -> %i %s', async (_name, sent, status, error) => {
    const got = await h.call('/oauth/token', { method: 'POST', ...sent } as never);
    expect(got.status).toBe(status);
    expect(got.body.error).toBe(error);
    expect(got.headers.get('cache-control')).toBe('no-store');
  });

  test('a failed HTTP Basic authentication is challenged with Basic', async () => {
    const got = await h.call('/oauth/token', {
      body: 'grant_type=client_credentials',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(FULL, 'wrong') },
    });
    expect(got.status).toBe(401);
    expect(got.headers.get('www-authenticate')).toBe(`Basic realm="${realms.clientBasic}"`);
  });
});

describe('bearer tokens on /api/v1', () => {
  test.each([
    ['missing', undefined, `Bearer realm="${realms.oauth2}"`],
    ['not a bearer scheme', 'Basic Zm9vOmJhcg==', `Bearer realm="${realms.oauth2}"`],
    ['malformed bearer', 'Bearer a b c', `Bearer realm="${realms.oauth2}", error="invalid_token"`],
    ['empty bearer', 'Bearer ', `Bearer realm="${realms.oauth2}", error="invalid_token"`],
    [
      'unknown token',
      'Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      `Bearer realm="${realms.oauth2}", error="invalid_token"`,
    ],
  ])('%s token -> 401 with %s', async (_name, authorization, challenge) => {
    const got = await h.call('/api/v1/services', { headers: authorization === undefined ? {} : { authorization } });
    expect(got.status).toBe(401);
    expect(got.headers.get('www-authenticate')).toBe(challenge);
    expect(got.body.message).toMatch(/missing, malformed, unknown or expired/);
  });

  test('a token past its TTL is 401 invalid_token', async () => {
    await withFreshSandbox({ tokenTtlSeconds: 1 }, async (short) => {
      const token = await short.token(FULL);
      expect((await short.call('/api/v1/services', { token })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1100));
      const got = await short.call('/api/v1/services', { token });
      expect(got.status).toBe(401);
      expect(got.headers.get('www-authenticate')).toContain('error="invalid_token"');
    });
  });

  test("the operator expiry endpoint expires one client's tokens only", async () => {
    const mine = await h.call('/oauth/token', { json: full });
    const other = await h.token('sm_other_full');
    const expired = await h.call('/_sandbox/tokens/expire', { json: { client_id: FULL } });
    expect(expired.status).toBe(200);
    expect(expired.body.data.expired).toBeGreaterThanOrEqual(1);
    expect((await h.call('/api/v1/services', { token: mine.body.access_token })).status).toBe(401);
    expect((await h.call('/api/v1/services', { token: other })).status).toBe(200);
    h.forgetTokens();
  });

  // Every operation whose security asks for a scope, as the spec states it, called by a credential that lacks it.
  const lacking = (scope: Scope) => fixtures.credentials.find((c) => !c.scopes.includes(scope))!.client_id;
  test.each(
    Object.values(operationFacts)
      .filter((op) => op.scopes.length)
      .map(
        (op) =>
          [
            op.method,
            op.path.replace('{order_id}', 'PO-1').replace('{item_id}', 'PKG-1'),
            lacking(op.scopes[0]!),
            op.scopes[0]!,
          ] as const,
      ),
  )('%s %s with %s -> 403 naming %s', async (method, path, clientId, scope) => {
    const got = await h.call(path, {
      method,
      token: await h.token(clientId),
      ...(method === 'GET' ? {} : { json: {} }),
    });
    expect(got.status).toBe(403);
    expect(got.body.message).toContain(scope);
    expect(got.headers.get('www-authenticate')).toBe(
      `Bearer realm="${realms.oauth2}", error="insufficient_scope", scope="${scope}"`,
    );
  });
});
