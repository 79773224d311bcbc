// OAuth2 client-credentials tokens for the Starmile Partner API: fetched on first use, cached until shortly before
// expiry, one request shared by concurrent callers.
import type { OAuthError, TokenRequest, TokenResponse } from './schema.js';

/** The token endpoint refused or failed: `error` is the RFC 6749 §5.2 code when the body carried one. */
export class StarmileTokenError extends Error {
  override readonly name = 'StarmileTokenError';
  readonly status: number;
  readonly error: OAuthError['error'] | undefined;
  readonly errorDescription: string | undefined;

  constructor(status: number, body: Partial<OAuthError> | undefined) {
    const code = body?.error;
    super(
      `Starmile token request failed (${status}${code ? ` ${code}` : ''})${body?.error_description ? `: ${body.error_description}` : ''}`,
    );
    this.status = status;
    this.error = code;
    this.errorDescription = body?.error_description;
  }
}

export interface TokenSourceOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  scopes?: readonly string[] | undefined;
  fetch: typeof globalThis.fetch;
  now: () => number;
}

export interface TokenSource {
  /** A valid access token, from the cache or from one shared request. */
  get(): Promise<string>;
  /** The cached token while it is fresh, without waiting a tick. */
  current(): string | undefined;
  /** Drop `token` if it is still the cached one (a newer token, fetched meanwhile, is kept). */
  invalidate(token: string): void;
}

/**
 * Renew this long before `expires_in` runs out: 30 s, or a tenth of a short lifetime, so a token is never sent at its
 * last second.
 */
export function refreshMarginSeconds(expiresIn: number): number {
  return Math.min(30, expiresIn / 10);
}

export function createTokenSource(options: TokenSourceOptions): TokenSource {
  const { fetch, now } = options;
  const url = `${options.baseUrl.replace(/\/+$/, '')}/oauth/token`;
  const body: TokenRequest = {
    grant_type: 'client_credentials',
    client_id: options.clientId,
    client_secret: options.clientSecret,
  };
  if (options.scopes?.length) body.scope = options.scopes.join(' ');
  const payload = JSON.stringify(body);

  let cached: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function request(): Promise<string> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: payload,
    });
    const parsed: unknown = await response.json().catch(() => undefined);
    if (!response.ok)
      throw new StarmileTokenError(response.status, isObject(parsed) ? (parsed as Partial<OAuthError>) : undefined);
    const token = parsed as Partial<TokenResponse> | undefined;
    if (typeof token?.access_token !== 'string' || typeof token.expires_in !== 'number') {
      throw new StarmileTokenError(response.status, {
        error_description: 'the token response has no access_token or expires_in',
      });
    }
    cached = {
      token: token.access_token,
      renewAt: now() + (token.expires_in - refreshMarginSeconds(token.expires_in)) * 1000,
    };
    return token.access_token;
  }

  const current = () => (cached && now() < cached.renewAt ? cached.token : undefined);

  return {
    current,
    get() {
      const fresh = current();
      if (fresh !== undefined) return Promise.resolve(fresh);
      pending ??= request().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
