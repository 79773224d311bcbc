// Before any rule runs: the base URL answers, every credential of the profile gets a token, the Starship key is
// accepted; otherwise one clear line and exit 2, not a hundred failures.
import { plainRequest, type RawResponse } from './http.ts';
import type { Profile } from './profile.ts';
import { UsageError } from './usage.ts';

export class PreflightError extends UsageError {}

const TIMEOUT_MS = 10_000;

const reach = async (
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> => {
  try {
    return await plainRequest(url, { ...init, timeoutMs: TIMEOUT_MS });
  } catch (error) {
    const e = error as { code?: string; message?: string };
    throw new PreflightError(`cannot reach ${new URL(url).origin}: ${e.code ?? e.message}`);
  }
};

const json = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/**
 * Throws PreflightError naming the first thing that stops a run; hands back the token each credential got, for the run
 * to use.
 */
export async function preflight(profile: Profile): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  await reach(`${profile.baseUrl}/api/v1/services`);
  const c = profile.credentials;
  const all: [string, Profile['credentials']['full']][] = [
    ['credentials.full', c.full],
    ...c.narrow.map((n, i): [string, typeof n] => [`credentials.narrow.${i}`, n]),
    ['credentials.otherPartner', c.otherPartner],
    ...(c.otherWarehouse ? [['credentials.otherWarehouse', c.otherWarehouse] as [string, typeof c.full]] : []),
  ];
  await Promise.all(
    all.map(async ([where, credential]) => {
      const res = await reach(`${profile.baseUrl}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({
          grant_type: 'client_credentials',
          client_id: credential.clientId,
          client_secret: credential.secret,
        }),
      });
      const body = json(res.text) as { access_token?: unknown; error?: unknown } | undefined;
      if (res.status !== 200 || typeof body?.access_token !== 'string')
        throw new PreflightError(
          `${where} (${credential.clientId}) gets no token from ${profile.baseUrl}/oauth/token: ${res.status}${typeof body?.error === 'string' ? ` ${body.error}` : ''}`,
        );
      tokens.set(credential.clientId, body.access_token);
    }),
  );
  if (profile.starship) {
    const res = await reach(`${profile.starship.baseUrl}/orders/conformance-preflight`, {
      headers: { Authorization: `Bearer ${profile.starship.apiKey}`, Accept: 'application/json' },
    });
    if (res.status === 401 || res.status === 403)
      throw new PreflightError(`starship.apiKey is refused by ${profile.starship.baseUrl} (${res.status})`);
  }
  return tokens;
}
