// A hostile client against the sandbox, for docs/reliability.md: the memory refused requests leave behind, every attack
// of attacks.ts fired concurrently while a bystander keeps calling, and slow clients holding connections open.
import { connect, type Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startSandbox } from '../src/server.ts';
import { arg } from './args.ts';
import { attacks } from './attacks.ts';
import { startChild } from './child.ts';
import { prepare, type Timed } from './hostile-client.ts';

const SECONDS = arg('seconds', 10);
const CONNECTIONS = arg('connections', 20);
const SLOW = arg('slow', 200);
const MEMORY_ROUNDS = arg('memory-rounds', 20);

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? 0;
const countBy = (xs: number[]) =>
  Object.fromEntries([...new Set(xs)].sort((a, b) => a - b).map((s) => [s, xs.filter((x) => x === s).length]));

/** Calls the bystander every 50 ms until `until` resolves; its answers show what everyone else waited. */
async function watch(bystander: () => Promise<Timed>, until: Promise<unknown>): Promise<Timed[]> {
  const seen: Timed[] = [];
  let over = false;
  void until.then(() => (over = true));
  while (!over) {
    seen.push(await bystander());
    await new Promise((r) => setTimeout(r, 50));
  }
  return seen;
}

const rows: { metric: string; value: number; unit: string }[] = [];
const notes: string[] = [];
// A. Memory, first, in a process nothing else has used yet: refused requests of every kind, round after round, against
// a sandbox in this process; the heap after a full GC once the first rounds have warmed everything up, and again after
// the rest.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heap = async () => {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
  }
  return process.memoryUsage().heapUsed;
};
const sandbox = await startSandbox({ port: 0, host: '127.0.0.1', tokenTtlSeconds: 86_400 });
try {
  const { fire } = await prepare(sandbox.url);
  const refused = attacks().filter((a) => !/accepted|over the bulk cap|listRates/.test(a.name));
  for (let round = 0; round < 3; round++) for (const a of refused) await fire(a);
  const before = await heap();
  let sent = 0;
  for (let round = 0; round < MEMORY_ROUNDS; round++)
    for (const a of refused) {
      await fire(a);
      sent++;
    }
  const after = await heap();
  console.log(
    `memory: ${sent} refused requests (${refused.length} kinds x ${MEMORY_ROUNDS}, after 3 warm-up rounds); heap after a full GC ${(before / 1048576).toFixed(1)} -> ${(after / 1048576).toFixed(1)} MiB`,
  );
  rows.push(
    {
      metric: `refused requests sent for the memory check (${refused.length} kinds x ${MEMORY_ROUNDS}, after 3 warm-up rounds)`,
      value: sent,
      unit: 'requests',
    },
    {
      metric: 'heap change after them, after a full GC (noise: a few hundred KiB either way)',
      value: Math.round((after - before) / 1024),
      unit: 'KiB',
    },
  );

  // B. What an accepted order over the Starship bulk cap keeps (SS8): 39 bytes asking for 10,000 units.
  // The first orders fill the delivery log up to its 8 MiB of bodies; what each later one adds is what stays per order.
  const overCap = attacks().find((a) => /over the bulk cap/.test(a.name))!;
  for (let i = 0; i < 20; i++) await fire(overCap);
  const orders = 200;
  const start = await heap();
  for (let i = 0; i < orders; i++) await fire(overCap);
  const end = await heap();
  const perOrder = (end - start) / orders;
  console.log(
    `bulk cap: ${orders} more orders of 10,000 units over the cap, once the log was full: ${perOrder.toFixed(0)} bytes of heap each`,
  );
  rows.push({
    metric: `heap kept per Starship order of 10,000 units over the bulk cap (${orders} orders once the delivery log is at its 8 MiB)`,
    value: Math.round(perOrder),
    unit: 'bytes',
  });
} finally {
  await sandbox.close();
}
const server = await startChild('sandbox');
try {
  const { fire, bystander } = await prepare(server.url);
  for (let i = 0; i < 20; i++) await bystander();

  // C. Every attack, round-robin, on CONNECTIONS connections at once for SECONDS.
  const list = attacks();
  const statuses: number[] = [];
  const deadline = Date.now() + SECONDS * 1000;
  let next = 0;
  const workers = Array.from({ length: CONNECTIONS }, async () => {
    while (Date.now() < deadline) statuses.push((await fire(list[next++ % list.length]!)).status);
  });
  const during = await watch(bystander, Promise.all(workers));
  const failed = statuses.filter((s) => s === 0 || s >= 500).length + during.filter((b) => b.status !== 200).length;
  console.log(
    `concurrent: ${statuses.length} hostile requests on ${CONNECTIONS} connections in ${SECONDS} s; statuses ${JSON.stringify(countBy(statuses))}; bystander ${during.length} calls, p50 ${percentile(
      during.map((b) => b.ms),
      50,
    ).toFixed(0)} ms, p99 ${percentile(
      during.map((b) => b.ms),
      99,
    ).toFixed(0)} ms, max ${Math.max(...during.map((b) => b.ms)).toFixed(0)} ms`,
  );
  rows.push(
    {
      metric: `hostile requests sent concurrently (${CONNECTIONS} connections, ${SECONDS} s, every kind of attacks.ts in turn)`,
      value: statuses.length,
      unit: 'requests',
    },
    { metric: 'of them (and of the bystander calls) answered 5xx or not at all', value: failed, unit: 'requests' },
    {
      metric: 'bystander GET /api/v1/services meanwhile, median',
      value: Math.round(
        percentile(
          during.map((b) => b.ms),
          50,
        ),
      ),
      unit: 'ms',
    },
    {
      metric: 'bystander, 99th percentile',
      value: Math.round(
        percentile(
          during.map((b) => b.ms),
          99,
        ),
      ),
      unit: 'ms',
    },
  );
  notes.push(`concurrent statuses ${JSON.stringify(countBy(statuses))}`);

  // D. Slow clients: SLOW connections that send a request line and then one header byte per second, and as many that
  // declare a body and trickle it.
  const port = Number(new URL(server.url).port);
  const sockets: Socket[] = [];
  for (let i = 0; i < SLOW; i++) {
    const headers = connect(port, '127.0.0.1');
    headers.on('error', () => {});
    headers.write('GET /api/v1/services HTTP/1.1\r\nHost: x\r\n');
    const body = connect(port, '127.0.0.1');
    body.on('error', () => {});
    body.write(
      'POST /_sandbox/region-mappings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{',
    );
    sockets.push(headers, body);
  }
  const drip = setInterval(() => {
    for (const [i, s] of sockets.entries()) if (!s.destroyed) s.write(i % 2 ? ' ' : 'X');
  }, 1000);
  const slowDuring = await watch(bystander, new Promise((r) => setTimeout(r, 5000)));
  clearInterval(drip);
  const open = sockets.filter((s) => !s.destroyed).length;
  for (const s of sockets) s.destroy();
  console.log(
    `slow: ${sockets.length} connections trickling headers or a body; bystander ${slowDuring.length} calls, p99 ${percentile(
      slowDuring.map((b) => b.ms),
      99,
    ).toFixed(0)} ms, non-200 ${slowDuring.filter((b) => b.status !== 200).length}; ${open} still open after 5 s`,
  );
  rows.push(
    {
      metric: `slow connections held open (${SLOW} trickling headers, ${SLOW} trickling a body)`,
      value: sockets.length,
      unit: 'connections',
    },
    {
      metric: 'bystander meanwhile, 99th percentile',
      value: Math.round(
        percentile(
          slowDuring.map((b) => b.ms),
          99,
        ),
      ),
      unit: 'ms',
    },
    {
      metric: 'bystander calls not answered 200 meanwhile',
      value: slowDuring.filter((b) => b.status !== 200).length,
      unit: 'calls',
    },
  );
} finally {
  await server.stop();
}

console.log(
  `BENCH_RESULT ${JSON.stringify({ title: 'Sandbox under a hostile client: concurrency, slow clients, memory', rows, note: notes.join('; ') })}`,
);
