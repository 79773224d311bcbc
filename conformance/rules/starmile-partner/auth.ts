// Checks of the token endpoint and of bearer tokens on every protected operation (X1, D6).

import type { OAuthError, TokenResponse } from '../../../contract/starmile-partner.ts';
import { scopes as ALL_SCOPES, operationFacts } from '../../../contract/starmile-partner.ts';
import type { RuleContext } from '../../src/context.ts';
import { expect } from '../../src/expect.ts';
import {
  answer,
  at,
  FULL,
  fx,
  json,
  type Match,
  type ProxyContext,
  type ProxyRequest,
  request,
  response,
} from '../../src/fault-kit.ts';
import type { Res } from '../../src/http.ts';
import { secrets } from '../../src/secrets.ts';
import { CHALLENGE, TOKEN_RESPONSE } from './designed.ts';
import { challenge, expectRejected, expectStatus, homeOrder, on } from './lib.ts';
import { designed, PROTECTED, rule, S000, S002, seed, TOKEN } from './meta.ts';
import { realm } from './spec.ts';

/** A token request that registers any token it gets, so it is never printed. */
async function tokenRequest(
  t: RuleContext,
  options: { json?: unknown; raw?: string; headers?: Record<string, string> },
): Promise<Res<Partial<TokenResponse & OAuthError>>> {
  const res = await t.http.request<Partial<TokenResponse & OAuthError>>({
    path: '/oauth/token',
    method: 'POST',
    ...options,
  });
  const token = (res.body as { access_token?: unknown } | undefined)?.access_token;
  if (typeof token === 'string') secrets.add(token, '$STARMILE_TOKEN');
  return res;
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

rule({
  id: 'TOKEN-ISSUE',
  level: 'MUST',
  operations: ['createToken'],
  tags: ['auth', 'token'],
  title:
    'A valid credential exchanged with grant_type=client_credentials gets a bearer token the API accepts; designed: token_type Bearer, expires_in, every scope it holds, and Cache-Control: no-store.',
  source: seed(
    S002,
    'Exchange your credential at POST /oauth/tokenfor a short-lived bearer token (client_credentialsgrant).',
  ),
  fault: response(at.token, (res) => void delete res.headers['cache-control']),
  moreFaults: [
    {
      bug: 'the token it hands out is not the one it stored, so the API refuses it',
      class: 'documented',
      fault: response(at.token, (res) => {
        if (typeof res.json?.access_token === 'string') res.json.access_token = `${res.json.access_token}x`;
      }),
    },
  ],
  check: async (t) => {
    const c = t.credential('full');
    const res = await tokenRequest(t, {
      json: { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secret },
    });
    expectStatus(res, 200);
    on(res, (body) => expect(typeof body.access_token, 'access_token').toBe('string'));
    t.designed(TOKEN_RESPONSE, () =>
      on(res, (body) => {
        expect(body.token_type).toBe('Bearer');
        expect(body.expires_in).toBeGreaterThan(0);
        expect(
          String(body.scope).split(' ').sort(),
          'a token asked without scope holds every scope of the credential',
        ).toEqual([...ALL_SCOPES].sort());
        expect(res.headers.get('cache-control') ?? '', 'Cache-Control of a token response').toMatch(/no-store/);
      }),
    );
    const services = await t.request({ path: '/api/v1/services', token: res.body.access_token as string });
    expectStatus(services, 200, 'the new token is accepted');
  },
});

rule({
  id: 'TOKEN-CLIENT-AUTH-METHODS',
  level: 'SHOULD',
  operations: ['createToken'],
  tags: ['auth', 'token'],
  title: 'The token endpoint accepts a form-encoded grant and HTTP Basic client authentication.',
  source: designed('RFC 6749 clients send form bodies and HTTP Basic.', `${TOKEN}/description`, 'X1'),
  fault: answer(
    (r) => at.token(r) && (r.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'),
    () => json(415, { error: 'invalid_request', error_description: 'JSON only.' }),
  ),
  check: async (t) => {
    const c = t.credential('full');
    const viaForm = await tokenRequest(t, {
      raw: form({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secret }),
      headers: FORM,
    });
    expectStatus(viaForm, 200, 'form-encoded grant');
    const basic = secrets.add(
      Buffer.from(`${c.clientId}:${c.secret}`).toString('base64'),
      '$STARMILE_BASIC_CREDENTIALS',
    );
    const viaBasic = await tokenRequest(t, {
      raw: form({ grant_type: 'client_credentials' }),
      headers: { ...FORM, Authorization: `Basic ${basic}` },
    });
    expectStatus(viaBasic, 200, 'HTTP Basic client authentication');
  },
});

rule({
  id: 'TOKEN-TWO-AUTH-METHODS',
  level: 'MUST',
  operations: ['createToken'],
  tags: ['auth', 'token'],
  title:
    'Client credentials in the body and in HTTP Basic at once are 400 invalid_request (RFC 6749 §2.3: a client MUST NOT use more than one authentication method).',
  source: designed(
    'RFC 6749 §2.3 and §5.2 (invalid_request: more than one mechanism for authenticating the client).',
    `${TOKEN}/responses/400`,
    'X1',
  ),
  // Credentials in the body win; the Basic header is silently ignored.
  fault: request(at.token, (req) => {
    const inBody = req.json?.client_id ?? new URLSearchParams(req.body.toString('utf8')).get('client_id');
    if (inBody && /^Basic /.test(req.headers.authorization ?? '')) delete req.headers.authorization;
  }),
  check: async (t) => {
    const c = t.credential('full');
    const basic = secrets.add(
      Buffer.from(`${c.clientId}:${c.secret}`).toString('base64'),
      '$STARMILE_BASIC_CREDENTIALS',
    );
    for (const [what, body] of [
      [
        'a form body',
        {
          raw: form({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secret }),
          headers: { ...FORM, Authorization: `Basic ${basic}` },
        },
      ],
      [
        'a JSON body',
        {
          json: { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secret },
          headers: { Authorization: `Basic ${basic}` },
        },
      ],
    ] as const) {
      const both = await tokenRequest(t, body);
      expectStatus(both, 400, `credentials in ${what} and in HTTP Basic`);
      on(both, (b) => expect(b.error, what).toBe('invalid_request'));
    }
  },
});

rule({
  id: 'TOKEN-INVALID-CLIENT',
  level: 'MUST',
  operations: ['createToken'],
  tags: ['auth', 'token'],
  title: 'An unknown client or a wrong secret is 401 invalid_client.',
  source: designed('RFC 6749 §5.2.', `${TOKEN}/responses/401`, 'X1'),
  fault: request(at.token, (req) => {
    if (req.json?.client_secret?.endsWith('-wrong'))
      req.json.client_secret = req.json.client_secret.slice(0, -'-wrong'.length);
    if (req.json && !fx.credentials.some((c) => c.client_id === req.json.client_id))
      Object.assign(req.json, { client_id: FULL.client_id, client_secret: FULL.client_secret });
  }),
  check: async (t) => {
    const c = t.credential('full');
    for (const [what, body] of [
      ['wrong secret', { grant_type: 'client_credentials', client_id: c.clientId, client_secret: `${c.secret}-wrong` }],
      [
        'unknown client',
        { grant_type: 'client_credentials', client_id: `${t.run.runId}-nobody`, client_secret: 'whatever-secret' },
      ],
    ] as const) {
      const res = await tokenRequest(t, { json: body });
      expectStatus(res, 401, what);
      on(res, (b) => expect(b.error, what).toBe('invalid_client'));
    }
    const wrongBasic = secrets.add(
      Buffer.from(`${c.clientId}:${c.secret}-wrong`).toString('base64'),
      '$STARMILE_BASIC_WRONG_CREDENTIALS',
    );
    const basic = await tokenRequest(t, {
      raw: form({ grant_type: 'client_credentials' }),
      headers: { ...FORM, Authorization: `Basic ${wrongBasic}` },
    });
    expectStatus(basic, 401, 'wrong secret in HTTP Basic');
    on(basic, (b) => {
      expect(b.error).toBe('invalid_client');
      expect(
        basic.headers.get('www-authenticate') ?? '',
        'a failed HTTP Basic authentication is answered with a Basic challenge',
      ).toMatch(/^Basic\b/);
    });
  },
});

rule({
  id: 'TOKEN-UNSUPPORTED-GRANT',
  level: 'MUST',
  operations: ['createToken'],
  tags: ['auth', 'token'],
  title: 'Any grant_type but client_credentials is 400 unsupported_grant_type.',
  source: designed('RFC 6749 §5.2.', `${TOKEN}/responses/400`, 'X1'),
  fault: request(at.token, (req) => {
    if (req.json) req.json.grant_type = 'client_credentials';
  }),
  check: async (t) => {
    const c = t.credential('full');
    const res = await tokenRequest(t, {
      json: { grant_type: 'password', client_id: c.clientId, client_secret: c.secret },
    });
    expectStatus(res, 400);
    on(res, (b) => expect(b.error).toBe('unsupported_grant_type'));
  },
});

rule({
  id: 'TOKEN-SCOPE-NARROWING',
  level: 'MUST',
  operations: ['createToken', 'createOrder'],
  tags: ['auth', 'token', 'scope'],
  title:
    'A token requested with a narrower scope holds only that scope, and is refused (403) where another scope is needed.',
  source: designed('Least privilege for a token.', '/components/schemas/TokenRequest/properties/scope', 'X1'),
  fault: request(at.token, (req) => void (req.json && delete req.json.scope)),
  check: async (t) => {
    // Narrowed to the scope the status pool needs, it loses the one order creation needs.
    const [kept] = operationFacts.listChanges.scopes;
    const [lost] = operationFacts.createOrder.scopes;
    const c = t.credential('full');
    const res = await tokenRequest(t, {
      json: { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secret, scope: kept },
    });
    expectStatus(res, 200);
    on(res, (b) => expect(b.scope).toBe(kept));
    const token = res.body.access_token as string;
    const read = await t.request({ path: '/api/v1/partner/changes', token });
    expectStatus(read, 200, `the narrowed token keeps ${kept}`);
    const create = await t.request({ path: '/api/v1/orders', json: homeOrder(t), token });
    expectStatus(create, 403, `the narrowed token lost ${lost}`);
  },
});

rule({
  id: 'TOKEN-INVALID-SCOPE',
  level: 'MUST',
  operations: ['createToken'],
  tags: ['auth', 'token', 'scope'],
  title: 'Asking for a scope the credential does not hold, or an unknown one, is 400 invalid_scope.',
  source: designed('RFC 6749 §5.2.', `${TOKEN}/responses/400`, 'X1'),
  fault: request(at.token, (req) => void (req.json && delete req.json.scope)),
  check: async (t) => {
    const narrow = t.profile.credentials.narrow[0]!;
    const missing = ALL_SCOPES.find((s) => !narrow.scopes?.includes(s))!;
    const notHeld = await tokenRequest(t, {
      json: {
        grant_type: 'client_credentials',
        client_id: narrow.clientId,
        client_secret: narrow.secret,
        scope: missing,
      },
    });
    expectStatus(notHeld, 400, `asking ${narrow.clientId} for ${missing}, which it does not hold`);
    on(notHeld, (b) => expect(b.error).toBe('invalid_scope'));
    const c = t.credential('full');
    const unknown = await tokenRequest(t, {
      json: {
        grant_type: 'client_credentials',
        client_id: c.clientId,
        client_secret: c.secret,
        scope: 'orders:teleport',
      },
    });
    expectStatus(unknown, 400, 'an unknown scope');
    on(unknown, (b) => expect(b.error).toBe('invalid_scope'));
  },
});

rule({
  id: 'TOKEN-MEDIA-TYPE',
  level: 'SHOULD',
  operations: ['createToken'],
  tags: ['auth', 'token', 'transport'],
  title: 'A grant that is neither JSON nor form-encoded is 415.',
  source: designed('Only the two documented encodings are read.', `${TOKEN}/responses/415`, 'X1'),
  fault: request(at.token, (req) => {
    if ((req.headers['content-type'] ?? '').startsWith('text/plain'))
      req.headers['content-type'] = 'application/x-www-form-urlencoded';
  }),
  check: async (t) => {
    const c = t.credential('full');
    const res = await tokenRequest(t, {
      raw: form({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secret }),
      headers: { 'Content-Type': 'text/plain' },
    });
    expectStatus(res, 415);
  },
});

/** The operation serves a request it should refuse (`unauthenticated`) as if the full credential had sent it. */
const servedAnyway = (match: Match, unauthenticated: (req: ProxyRequest, ctx: ProxyContext) => boolean) =>
  request(match, async (req, ctx) => {
    if (unauthenticated(req, ctx)) req.headers.authorization = `Bearer ${await ctx.tokenOf(FULL.client_id)}`;
  });

/** One request per protected operation, with a plausible body, to see that authentication comes first. */
const protectedCalls = (t: RuleContext) =>
  [
    { method: 'GET', path: '/api/v1/services' },
    { method: 'GET', path: '/api/v1/rates' },
    { method: 'POST', path: '/api/v1/orders', json: homeOrder(t) },
    { method: 'GET', path: `/api/v1/orders/${t.ref('o')}` },
    { method: 'PATCH', path: `/api/v1/orders/${t.ref('o')}/parcels/${t.ref('i')}`, json: { weight_grams: 1000 } },
    { method: 'POST', path: `/api/v1/orders/${t.ref('o')}/cancel`, json: {} },
    { method: 'GET', path: '/api/v1/partner/changes' },
    {
      method: 'POST',
      path: '/api/v1/partner/events',
      json: {
        event_id: t.ref('e'),
        type: 'parcel.received',
        occurred_at: new Date().toISOString(),
        parcel_id: t.ref('p'),
      },
    },
  ] as const;

rule({
  id: 'AUTH-MISSING-TOKEN',
  level: 'MUST',
  operations: PROTECTED,
  tags: ['auth'],
  title: `Every protected operation without a bearer token is refused; designed: 401 with WWW-Authenticate: Bearer realm="${realm()}".`,
  source: seed(
    S000,
    'A short-lived bearer token obtained from /oauth/token with your credential, sent on every API call.',
    'D6',
  ),
  fault: response(
    (r) => r.path.startsWith('/api/'),
    (res) => void (res.status === 401 && delete res.headers['www-authenticate']),
  ),
  moreFaults: [
    {
      bug: 'GET /api/v1/services is served without a token',
      class: 'documented',
      fault: servedAnyway(at.listServices, (req) => !req.headers.authorization),
    },
  ],
  check: async (t) => {
    for (const call of protectedCalls(t)) {
      const res = await t.request({ ...call, token: null });
      const what = `${call.method} ${call.path} without a token`;
      expectRejected(t, res, 401, undefined, what);
      t.designed(CHALLENGE, () =>
        on(res, () =>
          expect(challenge(res), `${what}: WWW-Authenticate`).toMatch(new RegExp(`^Bearer\\b.*realm="${realm()}"`)),
        ),
      );
    }
  },
});

rule({
  id: 'AUTH-INVALID-TOKEN',
  level: 'MUST',
  operations: PROTECTED,
  tags: ['auth'],
  title:
    'A bearer token the token endpoint never issued is refused on every protected operation; designed: 401 with WWW-Authenticate error="invalid_token".',
  source: seed(
    S000,
    'A short-lived bearer token obtained from /oauth/token with your credential, sent on every API call.',
    'D6',
  ),
  fault: response(
    (r) => r.path.startsWith('/api/'),
    (res) => {
      if (res.status === 401) res.headers['www-authenticate'] = `Bearer realm="${realm()}"`;
    },
  ),
  moreFaults: [
    {
      bug: 'GET /api/v1/services takes any bearer token, issued or not',
      class: 'documented',
      fault: servedAnyway(at.listServices, (req, ctx) => !!req.headers.authorization && !ctx.ownerOf(req)),
    },
  ],
  check: async (t) => {
    for (const call of protectedCalls(t)) {
      const res = await t.request({ ...call, token: `not-a-token-${t.run.runId}` });
      const what = `${call.method} ${call.path} with an unknown token`;
      expectRejected(t, res, 401, undefined, what);
      t.designed(CHALLENGE, () =>
        on(res, () => expect(challenge(res), `${what}: WWW-Authenticate`).toMatch(/^Bearer\b.*error="invalid_token"/)),
      );
    }
  },
});

rule({
  id: 'AUTH-EXPIRED-TOKEN',
  level: 'MUST',
  operations: ['listServices'],
  tags: ['auth'],
  title: 'An expired token is refused, and a new token works; designed: 401 with error="invalid_token".',
  source: seed(
    S000,
    'A short-lived bearer token obtained from /oauth/token with your credential, sent on every API call.',
    'D6',
  ),
  hooks: ['expireTokens'],
  serial: true,
  fault: answer(
    (r) => r.path === '/_sandbox/tokens/expire',
    () => json(200, { data: { expired: 0 } }),
  ),
  check: async (t) => {
    t.needHook('expireTokens');
    const c = t.credential('full');
    const token = await t.token('full');
    expectStatus(await t.request({ path: '/api/v1/services', token }), 200, 'before expiry');
    await t.hook('expireTokens', { clientId: c.clientId });
    t.forgetTokens();
    const expired = await t.request({ path: '/api/v1/services', token });
    expectRejected(t, expired, 401, undefined, 'the expired token');
    t.designed(CHALLENGE, () =>
      on(expired, () => expect(challenge(expired), 'WWW-Authenticate').toMatch(/^Bearer\b.*error="invalid_token"/)),
    );
    expectStatus(await t.request({ path: '/api/v1/services' }), 200, 'a new token');
  },
});
