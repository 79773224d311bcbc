// OAuth2 client credentials (X1) and bearer-token checks (401/403, D6) of the sandbox.
import { isUtf8 } from 'node:buffer';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { fill } from '../../contract/messages.ts';
import type { Credential } from '../../contract/sandbox-admin.ts';
import {
  type OAuthError,
  realms,
  type Scope,
  messages as say,
  type TokenRequest,
  type TokenResponse,
} from '../../contract/starmile-partner.ts';
import type { FieldErrors } from './bounded.ts';
import { BODY_TOO_LARGE, fail, HttpError, mediaType, parseJson, type Reply, readBody } from './http.ts';
import { REQUEST_LIMITS } from './limits.ts';
import type { SandboxState, TokenRecord } from './store.ts';
import { bodies, listed } from './validation.ts';

const REALM = `Bearer realm="${realms.oauth2}"`;
const BASIC_CHALLENGE = { 'WWW-Authenticate': `Basic realm="${realms.clientBasic}"` };
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

const oauthError = (
  status: number,
  error: OAuthError['error'],
  description: string,
  headers: Record<string, string> = {},
) => new HttpError(status, { error, error_description: description } satisfies OAuthError, { ...NO_STORE, ...headers });

/** The token endpoint's body: JSON or form-encoded, a repeated form parameter being invalid_request. */
async function tokenBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = mediaType(req);
  if (type !== 'application/json' && type !== 'application/x-www-form-urlencoded')
    throw oauthError(415, 'invalid_request', say.tokenMediaType);
  let raw: Buffer;
  try {
    raw = await readBody(req);
  } catch (error) {
    // The token operation documents no 413: an oversized grant is an invalid request (RFC 6749 §5.2).
    if (error instanceof HttpError && error.status === 413)
      throw oauthError(400, 'invalid_request', BODY_TOO_LARGE, error.headers);
    throw error;
  }
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = parseJson(raw);
    } catch {
      throw oauthError(400, 'invalid_request', say.bodyNotJson);
    }
    const problems = bodies.createTokenJson(parsed);
    if (problems) throw schemaError(problems, parsed);
    return parsed as Record<string, unknown>;
  }
  const body = formParameters(raw);
  const problems = bodies.createTokenForm(body);
  if (problems) throw schemaError(problems, body);
  return body;
}

const decodeForm = (text: string) => decodeURIComponent(text.replace(/\+/g, ' '));

/**
 * The parameters of a form-encoded body in one pass: a parameter given twice, or a body that is not
 * UTF-8 once percent-decoded (which URLSearchParams would turn into U+FFFD), is invalid_request.
 */
function formParameters(raw: Buffer): Record<string, string> {
  if (!isUtf8(raw)) throw oauthError(400, 'invalid_request', 'The body is not valid UTF-8.');
  const text = raw.toString('utf8');
  // The members limit of JSON bodies (X12), counted before anything is split or decoded.
  let pairs = 1;
  for (let at = text.indexOf('&'); at >= 0; at = text.indexOf('&', at + 1))
    if (++pairs > REQUEST_LIMITS.members)
      throw oauthError(400, 'invalid_request', `A token request has at most ${REQUEST_LIMITS.members} parameters.`);
  // No prototype: a parameter may be called `__proto__`.
  const body: Record<string, string> = Object.create(null) as Record<string, string>;
  const seen = new Set<string>();
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    let name: string;
    let value: string;
    try {
      name = decodeForm(eq < 0 ? pair : pair.slice(0, eq));
      value = decodeForm(eq < 0 ? '' : pair.slice(eq + 1));
    } catch {
      throw oauthError(400, 'invalid_request', 'The form is not valid percent-encoded UTF-8.');
    }
    if (seen.has(name))
      throw oauthError(
        400,
        'invalid_request',
        `The parameter ${name.length > 80 ? `${name.slice(0, 80)}…` : name} is repeated.`,
      );
    seen.add(name);
    // RFC 6749 §3.2: a parameter sent without a value is treated as omitted.
    if (value !== '') body[name] = value;
  }
  return body;
}

function schemaError(found: FieldErrors, body: unknown): HttpError {
  const fields = listed(found).errors;
  const grant = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).grant_type : undefined;
  if (typeof grant === 'string' && fields.grant_type)
    return oauthError(400, 'unsupported_grant_type', say.grantNotSupported);
  if (fields.scope && Object.keys(fields).length === 1)
    return oauthError(400, 'invalid_scope', 'The scope must be space-delimited scope names.');
  const described = Object.entries(fields)
    .map(([field, messages]) => `${field} ${messages.join(', ')}`)
    .join('; ');
  return oauthError(400, 'invalid_request', fill(say.tokenRequestInvalid, { problems: described }));
}

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

function basicCredentials(req: IncomingMessage): { id: string; secret: string } | null | 'malformed' {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return 'malformed';
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'malformed';
  // RFC 6749 §2.3.1: both halves are form-urlencoded before base64.
  try {
    return {
      id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    return 'malformed';
  }
}

/** POST /oauth/token (createToken). */
export async function createToken(req: IncomingMessage, state: SandboxState): Promise<Reply> {
  const body = (await tokenBody(req)) as TokenRequest;
  const basic = basicCredentials(req);
  const inBody = body.client_id !== undefined || body.client_secret !== undefined;
  if (basic === 'malformed') throw oauthError(401, 'invalid_client', say.clientAuthenticationFailed, BASIC_CHALLENGE);
  if (basic && inBody)
    throw oauthError(400, 'invalid_request', 'Send the client credentials in the body or in HTTP Basic, not both.');
  const id = basic ? basic.id : body.client_id;
  const secret = basic ? basic.secret : body.client_secret;
  const credential = id === undefined ? undefined : state.credentials.get(id);
  if (!credential || secret === undefined || !sameSecret(secret, credential.client_secret))
    throw oauthError(401, 'invalid_client', say.clientAuthenticationFailed, basic ? BASIC_CHALLENGE : {});
  const held = credential.scopes as Scope[];
  let granted = held;
  if (body.scope !== undefined) {
    const asked = [...new Set(body.scope.split(' '))];
    const missing = asked.filter((s) => !held.includes(s as Scope));
    if (missing.length) throw oauthError(400, 'invalid_scope', fill(say.scopeNotHeld, { scope: missing.join(' ') }));
    granted = asked as Scope[];
  }
  const token = randomBytes(32).toString('base64url');
  state.addToken(token, {
    clientId: credential.client_id,
    credential,
    scopes: new Set(granted),
    expiresAt: state.now() + state.tokenTtlSeconds * 1000,
  });
  const response: TokenResponse = {
    access_token: token,
    token_type: 'Bearer',
    expires_in: state.tokenTtlSeconds,
    scope: granted.join(' '),
  };
  return { status: 200, body: response, headers: NO_STORE };
}

/** RFC 6750 b64token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * The credential behind a request's bearer token, which must carry every scope of `scopes`: 401 otherwise, 403 naming
 * the first one missing.
 */
export function authenticate(req: IncomingMessage, state: SandboxState, scopes: readonly Scope[]): Credential {
  const header = req.headers.authorization;
  if (!header) throw fail(401, say.unauthorized, undefined, { 'WWW-Authenticate': REALM });
  const token = BEARER.exec(header)?.[1];
  const record: TokenRecord | undefined = token === undefined ? undefined : state.tokens.get(token);
  if (!record || record.expiresAt <= state.now()) {
    if (record) state.tokens.delete(token!);
    const sentToken = /^Bearer\b/i.test(header);
    throw fail(401, say.unauthorized, undefined, {
      'WWW-Authenticate': sentToken ? `${REALM}, error="invalid_token"` : REALM,
    });
  }
  const scope = scopes.find((s) => !record.scopes.has(s));
  if (scope !== undefined)
    throw fail(403, fill(say.forbidden, { scope }), undefined, {
      'WWW-Authenticate': `${REALM}, error="insufficient_scope", scope="${scope}"`,
    });
  return record.credential;
}

/** Expires every live token, or those of one client; returns how many. */
export function expireTokens(state: SandboxState, clientId?: string): number {
  let expired = 0;
  for (const [token, record] of state.tokens) {
    if (clientId !== undefined && record.clientId !== clientId) continue;
    if (record.expiresAt > state.now()) expired++;
    state.tokens.delete(token);
  }
  return expired;
}
