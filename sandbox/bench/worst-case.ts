// Bench: worst-case latency of the sandbox under hostile requests (attacks.ts), each within the 1 MiB body cap, with a bystander request sent alongside to show whether one caller stalls the others.
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { attacks, type Attack } from './attacks.ts';
import { startChild } from './child.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROUNDS = arg('rounds', 5);
const TIMEOUT_MS = arg('timeout', 10_000);
const TARGET_MS = 100;

interface Timed {
  status: number;
  ms: number;
  bytes: number;
}

/** One request on its own connection; status 0 when it got no answer within the timeout or the connection broke. */
function timed(base: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Timed> {
  const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
  const started = performance.now();
  return new Promise((resolve) => {
    const done = (status: number, bytes = 0) => resolve({ status, ms: performance.now() - started, bytes });
    const req = request(`${base}${path}`, { method, agent: false, headers: { ...headers, ...(payload ? { 'content-length': String(payload.length) } : {}) }, timeout: TIMEOUT_MS }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => done(res.statusCode ?? 0, bytes));
      res.on('error', () => done(0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(0));
    req.end(payload);
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

let server = await startChild('sandbox');
/** A fresh sandbox with a token and a target order; a sandbox that stopped answering is replaced, so one stall does not hide the other figures. */
async function prepare() {
  const base = server.url;
  const token = (await (await fetch(`${base}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credentials', client_id: 'sm_test_full', client_secret: 'sandbox-secret-full' }) })).json()) as { access_token: string };
  const auth = { starmile: `Bearer ${token.access_token}`, starship: 'Bearer ss_test_orbit_key' };
  const target = (await (await fetch(`${base}/api/v1/orders`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth.starmile }, body: JSON.stringify({ service_id: 5, order_id: 'WORST-CASE-TARGET', parcels: [{ item_id: 'WORST-CASE-PARCEL' }] }) })).json()) as { data: { items: { parcel_id: string }[] } };
  return { base, auth, parcelId: target.data.items[0]!.parcel_id };
}
try {
  let { base, auth, parcelId } = await prepare();
  let n = 0;
  const send = (a: Attack) => {
    n++;
    const fill = (s: string) => s.replaceAll('{order}', 'WORST-CASE-TARGET').replaceAll('{parcel}', parcelId).replaceAll('{n}', String(n));
    const headers = { ...a.headers, ...(a.auth ? { authorization: auth[a.auth] } : {}) };
    return timed(base, a.method, fill(a.path), headers, a.body === undefined ? undefined : fill(a.body));
  };
  const bystander = () => timed(base, 'GET', '/api/v1/services', { authorization: auth.starmile });

  // Warm-up: the bystander and a few attacks, so compiled validators and optimised code are what is measured.
  for (let i = 0; i < 20; i++) await bystander();

  const rows: { name: string; statuses: number[]; attack: number; worst: number; bystander: number; bytes: number }[] = [];
  for (const a of attacks()) {
    const attackMs: number[] = [];
    const bystanderMs: number[] = [];
    const statuses: number[] = [];
    let bytes = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const attack = send(a);
      // Sent just after the attack: it waits for as long as the attack holds the sandbox's one thread.
      await new Promise((r) => setTimeout(r, 1));
      const [got, other] = await Promise.all([attack, bystander()]);
      if (got.status === 0 && other.status === 0) {
        await server.stop();
        server = await startChild('sandbox');
        ({ base, auth, parcelId } = await prepare());
      }
      attackMs.push(got.ms);
      bystanderMs.push(other.ms);
      statuses.push(got.status);
      bytes = Math.max(bytes, got.bytes);
    }
    const row = { name: a.name, statuses: [...new Set(statuses)], attack: median(attackMs), worst: Math.max(...attackMs), bystander: median(bystanderMs), bytes };
    rows.push(row);
    console.log(`${row.attack.toFixed(1).padStart(8)} ms (worst ${row.worst.toFixed(1)}, bystander ${row.bystander.toFixed(1)}) ${JSON.stringify(row.statuses)} ${row.bytes} B  ${a.name}`);
  }

  const slowest = rows.reduce((a, b) => (b.attack > a.attack ? b : a));
  const slowestBystander = rows.reduce((a, b) => (b.bystander > a.bystander ? b : a));
  const failed = rows.filter((r) => r.statuses.some((s) => s === 0 || s >= 500));
  const biggest = rows.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  console.log(
    `BENCH_RESULT ${JSON.stringify({
      title: 'Sandbox worst-case latency under hostile requests',
      rows: [
        { metric: 'hostile requests, each as large as the 1 MiB cap allows', value: rows.length, unit: 'kinds' },
        { metric: `slowest answer, median of ${ROUNDS} (target <= ${TARGET_MS}): ${slowest.name}`, value: Number(slowest.attack.toFixed(1)), unit: 'ms' },
        { metric: `bystander GET /api/v1/services sent alongside, slowest median: ${slowestBystander.name}`, value: Number(slowestBystander.bystander.toFixed(1)), unit: 'ms' },
        { metric: 'kinds with a 5xx or no answer', value: failed.length, unit: 'kinds' },
        { metric: `largest answer: ${biggest.name}`, value: biggest.bytes, unit: 'bytes' },
      ],
      note: `Each kind sent ${ROUNDS} times after one warm-up round, each time on a new connection, with a GET /api/v1/services on another connection 1 ms later; the sandbox runs in its own process. Per kind (median ms, statuses): ${rows.map((r) => `${r.name}: ${r.attack.toFixed(1)} ${JSON.stringify(r.statuses)}`).join('; ')}.`,
    })}`,
  );
  if (slowest.attack > TARGET_MS || failed.length) process.exitCode = 1;
} finally {
  await server.stop();
}
