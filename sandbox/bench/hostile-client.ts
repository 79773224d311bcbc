// The client side the hostile benches share: command-line numbers, one timed request per connection, and a sandbox
// prepared with a token and a target order for the attacks of attacks.ts.

import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Attack } from './attacks.ts';
import { CLEARANCE, STARSHIP_KEY } from './fixtures.ts';
import { fullToken } from './token.ts';

export interface Timed {
  /** 0 when no answer came within the timeout or the connection broke. */
  status: number;
  ms: number;
  bytes: number;
}

/** One request on its own connection, timed from the first byte sent to the last byte received. */
export function timed(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
  timeoutMs = 30_000,
): Promise<Timed> {
  const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
  const started = performance.now();
  return new Promise((resolve) => {
    const done = (status: number, bytes = 0) => resolve({ status, ms: performance.now() - started, bytes });
    const req = request(
      `${base}${path}`,
      {
        method,
        agent: false,
        timeout: timeoutMs,
        headers: { ...headers, ...(payload ? { 'content-length': String(payload.length) } : {}) },
      },
      (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () => done(res.statusCode ?? 0, bytes));
        res.on('error', () => done(0));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(0));
    req.end(payload);
  });
}

/**
 * A token and a target order on the sandbox at `base`; `fire` sends an attack at that order, `bystander` the cheap call
 * everyone else makes.
 */
export async function prepare(base: string, timeoutMs?: number) {
  const token = await fullToken(base);
  const auth = { starmile: `Bearer ${token}`, starship: `Bearer ${STARSHIP_KEY}` };
  const ref = `HOSTILE-TARGET-${process.pid}`;
  const created = (await (
    await fetch(`${base}/api/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: auth.starmile },
      body: JSON.stringify({ service_id: CLEARANCE, order_id: ref, parcels: [{ item_id: `${ref}-PARCEL` }] }),
    })
  ).json()) as { data: { items: { parcel_id: string }[] } };
  const parcel = created.data.items[0]!.parcel_id;
  let n = 0;
  const fire = (a: Attack) => {
    n++;
    const fill = (s: string) =>
      s.replaceAll('{order}', ref).replaceAll('{parcel}', parcel).replaceAll('{n}', `${process.pid}-${n}`);
    return timed(
      base,
      a.method,
      fill(a.path),
      { ...a.headers, ...(a.auth ? { authorization: auth[a.auth] } : {}) },
      a.body === undefined ? undefined : fill(a.body),
      timeoutMs,
    );
  };
  const bystander = () =>
    timed(base, 'GET', '/api/v1/services', { authorization: auth.starmile }, undefined, timeoutMs);
  return { fire, bystander };
}
