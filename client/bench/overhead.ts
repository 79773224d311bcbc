// Bench: what a client.getOrder call costs against a raw fetch of the same request, side by side on one loopback server
// (token cached).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import createClient from 'openapi-fetch';
import { loadSpec } from '../../contract/index.ts';
import { createStarmileClient, type paths } from '../src/index.js';

const WARMUP = 500;
const CALLS = 2000;
const TARGET = 1.3;

const order = JSON.stringify(loadSpec('starmile-partner').components.examples.GetOrderResponseExample.value);
const token = JSON.stringify({
  access_token: 'tok-bench',
  token_type: 'Bearer',
  expires_in: 3600,
  scope: 'status:read',
});
let tokenRequests = 0;

const server = createServer((req, res) => {
  const isToken = req.method === 'POST' && req.url === '/oauth/token';
  if (isToken) tokenRequests++;
  const isOrder = req.url === '/api/v1/orders/PO-10294' && req.headers.authorization === 'Bearer tok-bench';
  const body = isToken ? token : isOrder ? order : undefined;
  req.resume();
  res.writeHead(body ? 200 : 404, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body ?? ''),
  });
  res.end(body ?? '');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const client = createStarmileClient({ baseUrl, clientId: 'bench', clientSecret: 'bench' });
const url = `${baseUrl}/api/v1/orders/PO-10294`;

async function raw(): Promise<unknown> {
  const response = await fetch(url, { headers: { Authorization: 'Bearer tok-bench' } });
  if (!response.ok) throw new Error(`raw fetch: ${response.status}`);
  return response.json();
}
async function viaClient(): Promise<unknown> {
  const { data, response } = await client.getOrder('PO-10294');
  if (!data) throw new Error(`client: ${response.status}`);
  return data;
}
/**
 * openapi-fetch alone, no middleware, the token written by hand: the floor under the client's own work, reported for
 * comparison only.
 */
const bare = createClient<paths>({ baseUrl });
async function viaBareOpenapiFetch(): Promise<unknown> {
  const { data, response } = await bare.GET('/api/v1/orders/{order_id}', {
    params: { path: { order_id: 'PO-10294' } },
    headers: { Authorization: 'Bearer tok-bench' },
  });
  if (!data) throw new Error(`openapi-fetch: ${response.status}`);
  return data;
}
async function timed(call: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await call();
  return performance.now() - start;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

try {
  for (let i = 0; i < WARMUP; i++) {
    await raw();
    await viaClient();
    await viaBareOpenapiFetch();
  }
  const rawTimes: number[] = [];
  const clientTimes: number[] = [];
  const bareTimes: number[] = [];
  // Interleaved, rotating which goes first, so drift in the machine's load hits all alike. Half the calls are raw and
  // half go through openapi-fetch: the share of calls a path makes in a process changes what it measures (decision T3).
  const round: [() => Promise<unknown>, number[]][] = [
    [raw, rawTimes],
    [viaClient, clientTimes],
    [raw, rawTimes],
    [viaBareOpenapiFetch, bareTimes],
  ];
  for (let i = 0; i < CALLS; i++) {
    for (let j = 0; j < round.length; j++) {
      const [call, times] = round[(i + j) % round.length]!;
      times.push(await timed(call));
    }
  }
  const rawMedian = median(rawTimes);
  const clientMedian = median(clientTimes);
  const ratio = clientMedian / rawMedian;
  const us = (ms: number) => Math.round(ms * 1000 * 10) / 10;
  console.log(
    `BENCH_RESULT ${JSON.stringify({
      title: 'Client call overhead vs raw fetch (GET /api/v1/orders/{order_id}, loopback, token cached)',
      rows: [
        { metric: 'raw fetch median', value: us(rawMedian), unit: 'µs' },
        { metric: 'client.getOrder median', value: us(clientMedian), unit: 'µs' },
        { metric: 'client / raw ratio', value: Math.round(ratio * 1000) / 1000, unit: 'x' },
        {
          metric: 'openapi-fetch alone median (no middleware, token by hand)',
          value: us(median(bareTimes)),
          unit: 'µs',
        },
        {
          metric: 'openapi-fetch alone / raw ratio',
          value: Math.round((median(bareTimes) / rawMedian) * 1000) / 1000,
          unit: 'x',
        },
      ],
      note: `${CALLS} rounds of raw, client, raw, openapi-fetch alone, interleaved after ${WARMUP} warm-up rounds; target client.getOrder <= ${TARGET}x raw: ${ratio <= TARGET ? 'met' : 'MISSED'}; openapi-fetch alone is informational; token requests: ${tokenRequests}; node ${process.version}`,
    })}`,
  );
} finally {
  server.close();
}
