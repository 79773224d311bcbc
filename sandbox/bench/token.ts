// A bearer token of the sandbox's full credential (the fixture credential whose role is "full"), for the benches that
// call the Partner API of a running sandbox.
import { FULL } from './fixtures.ts';

/** Exchanges the full credential at `base`/oauth/token (optionally for one scope) and returns the access token. */
export async function fullToken(base: string, scope?: string): Promise<string> {
  const res = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_id: FULL.client_id,
      client_secret: FULL.client_secret,
      ...(scope ? { scope } : {}),
    }),
  });
  if (res.status !== 200) throw new Error(`token at ${base}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}
