// Bench: the reliability figures of docs/reliability.md — uniqueness under concurrency and the bad-input table (plus a
// derived mutation table), against one sandbox.

import { Agent, request } from 'node:http';
import { loadSpec, schemaValidator } from '../../contract/index.ts';
import { startSandbox } from '../src/server.ts';
import { badInputCases, sendRaw } from '../test/bad-input-cases.ts';
import { arg } from './args.ts';
import { FULL } from './fixtures.ts';

const ROUNDS = arg('rounds', 20);
const CONCURRENT = arg('concurrent', 50);

const sandbox = await startSandbox({ port: 0, host: '127.0.0.1', tokenTtlSeconds: 86_400 });
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENT });
const errorBody = schemaValidator('starmile-partner', 'Error');

function send(method: string, path: string, body: unknown, token?: string): Promise<{ status: number; body: any }> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      `${sandbox.url}${path}`,
      {
        method,
        agent,
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const countBy = (xs: number[]) =>
  Object.fromEntries([...new Set(xs)].sort().map((s) => [s, xs.filter((x) => x === s).length]));

try {
  const token = (
    await send('POST', '/oauth/token', {
      grant_type: 'client_credentials',
      client_id: FULL.client_id,
      client_secret: FULL.client_secret,
    })
  ).body.access_token as string;
  const example = loadSpec('starmile-partner').components.examples.CreateOrderRequestExample.value as Record<
    string,
    any
  >;

  // 1. Uniqueness under concurrency: ROUNDS x CONCURRENT identical creates, all in flight at once.
  await Promise.all(Array.from({ length: CONCURRENT }, () => send('GET', '/api/v1/services', undefined, token)));
  const winners: number[] = [];
  const statuses: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const body = {
      ...example,
      order_id: `CONC-${round}`,
      parcels: [{ ...example.parcels[0], item_id: `CONC-${round}`, merchant_tracking: `CONC-M-${round}` }],
    };
    const results = await Promise.all(
      Array.from({ length: CONCURRENT }, () => send('POST', '/api/v1/orders', body, token)),
    );
    winners.push(results.filter((r) => r.status === 201).length);
    statuses.push(...results.map((r) => r.status));
  }
  const stored = [...sandbox.state.ordersByTracking.values()].filter((o) => o.reference.startsWith('CONC-')).length;
  console.log(
    `concurrency: ${ROUNDS} rounds x ${CONCURRENT} identical creates; 201s per round ${JSON.stringify(winners)}; statuses ${JSON.stringify(countBy(statuses))}; orders stored ${stored}`,
  );

  // 2. The bad-input table of the tests, against an order still at its first step.
  const target = (
    await send(
      'POST',
      '/api/v1/orders',
      { ...example, order_id: 'BAD-TARGET', parcels: [{ item_id: 'BAD-TARGET' }] },
      token,
    )
  ).body.data;
  const cases = badInputCases({
    ref: 'BAD-TARGET',
    tracking: target.order_id,
    parcelId: target.items[0].parcel_id,
    token,
  });
  const tableStatuses: number[] = [];
  let tableWrong = 0;
  let tableChanged = 0;
  for (const c of cases) {
    const before = sandbox.state.snapshot();
    const got = await sendRaw(sandbox.url, c);
    tableStatuses.push(got.status);
    const body = JSON.parse(got.text);
    const fieldNamed = c.field === undefined || Object.keys(body.errors ?? {}).includes(c.field);
    if (got.status !== c.status || !errorBody(body) || !fieldNamed) {
      tableWrong++;
      console.log(`  unexpected: ${c.name} -> ${got.status} ${got.text.slice(0, 200)}`);
    }
    if (sandbox.state.snapshot() !== before) tableChanged++;
  }
  console.log(
    `bad-input table: ${cases.length} cases; statuses ${JSON.stringify(countBy(tableStatuses))}; not as expected ${tableWrong}; store changed ${tableChanged}`,
  );

  // 3. Derived mutations: every leaf of the documented example replaced by each hostile value, one at a time.
  const hostile: unknown[] = [
    null,
    true,
    -1,
    0,
    1e308,
    '',
    'x'.repeat(100_000),
    '📦\u202Eطلب',
    {},
    [],
    [null],
    JSON.parse('{"__proto__": 1}'),
  ];
  const leaves: (string | number)[][] = [];
  const walk = (node: unknown, path: (string | number)[]) => {
    if (node && typeof node === 'object')
      for (const [k, v] of Object.entries(node)) walk(v, [...path, Array.isArray(node) ? Number(k) : k]);
    else leaves.push(path);
  };
  walk(example, []);
  const mutationStatuses: number[] = [];
  let mutationChanged = 0;
  let n = 0;
  for (const path of leaves)
    for (const value of hostile) {
      n++;
      const body = structuredClone(example);
      body.order_id = `MUT-${n}`;
      body.parcels = body.parcels.map((p: Record<string, unknown>, i: number) => ({
        ...p,
        item_id: `MUT-${n}-${i}`,
        merchant_tracking: `MUT-M-${n}-${i}`,
      }));
      let node: any = body;
      for (const key of path.slice(0, -1)) node = node[key];
      node[path[path.length - 1]!] = value;
      const before = sandbox.state.snapshot();
      const got = await send('POST', '/api/v1/orders', body, token);
      mutationStatuses.push(got.status);
      if (got.status >= 400 && (sandbox.state.snapshot() !== before || !errorBody(got.body))) mutationChanged++;
    }
  const mutationCounts = countBy(mutationStatuses);
  console.log(
    `mutations: ${leaves.length} fields x ${hostile.length} hostile values = ${n} creates; statuses ${JSON.stringify(mutationCounts)}; rejected yet changed the store or bad error body ${mutationChanged}`,
  );

  const all = [...statuses, ...tableStatuses, ...mutationStatuses];
  const fiveHundreds = all.filter((s) => s >= 500).length;
  console.log(
    `BENCH_RESULT ${JSON.stringify({
      title: 'Sandbox reliability: uniqueness under concurrency and bad input',
      rows: [
        { metric: `rounds of ${CONCURRENT} identical concurrent creates`, value: ROUNDS, unit: 'rounds' },
        { metric: 'rounds with exactly one 201', value: winners.filter((w) => w === 1).length, unit: 'rounds' },
        { metric: 'orders stored by those rounds', value: stored, unit: 'orders' },
        { metric: 'bad-input table cases', value: cases.length, unit: 'cases' },
        {
          metric: 'bad-input cases answered as expected (status, error body, field)',
          value: cases.length - tableWrong,
          unit: 'cases',
        },
        { metric: 'bad-input cases that changed the store', value: tableChanged, unit: 'cases' },
        { metric: 'derived mutations sent', value: n, unit: 'requests' },
        { metric: 'rejected mutations that changed the store', value: mutationChanged, unit: 'requests' },
        { metric: '5xx responses, all parts', value: fiveHundreds, unit: 'responses' },
      ],
      note: `bad-input statuses ${JSON.stringify(countBy(tableStatuses))}; mutation statuses ${JSON.stringify(mutationCounts)}; concurrency statuses ${JSON.stringify(countBy(statuses))}`,
    })}`,
  );
  if (fiveHundreds || tableWrong || tableChanged || mutationChanged || winners.some((w) => w !== 1))
    process.exitCode = 1;
} finally {
  agent.destroy();
  await sandbox.close();
}
