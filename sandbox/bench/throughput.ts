// Bench: create-order throughput of the sandbox (full validation) against a bare node:http server answering a canned
// 201, side by side in one run.

import { createRequire } from 'node:module';
import { loadSpec } from '../../contract/index.ts';
import { arg } from './args.ts';
import { type ChildServer, startChild } from './child.ts';
import { fullToken } from './token.ts';

interface AutocannonResult {
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
  statusCodeStats: Record<string, { count: number }>;
}
interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  setupRequest: (req: { body?: string }) => { body: string };
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  requests: AutocannonRequest[];
}
// autocannon ships no types; this is the slice of its API the bench uses.
const autocannon = createRequire(import.meta.url)('autocannon') as (
  o: AutocannonOptions,
  cb: (e: Error | null, r: AutocannonResult) => void,
) => unknown;

const CONNECTIONS = arg('connections', 10);
const SECONDS = arg('duration', 3);
const ROUNDS = arg('rounds', 5);

// The documented example body, with references made unique per request.
const example = loadSpec('starmile-partner').components.examples.CreateOrderRequestExample.value as Record<
  string,
  unknown
> & { parcels: Record<string, unknown>[] };

function run(url: string, token: string, prefix: string, seconds: number): Promise<AutocannonResult> {
  let n = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration: seconds,
        // setupRequest only runs per request when given on a request, not as a top-level option.
        requests: [
          {
            method: 'POST',
            path: '/api/v1/orders',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            setupRequest: (req) => {
              n++;
              const body = {
                ...example,
                order_id: `${prefix}-${n}`,
                parcels: example.parcels.map((p, i) => ({
                  ...p,
                  item_id: `${prefix}-${n}-${i}`,
                  merchant_tracking: `${prefix}-M-${n}-${i}`,
                })),
              };
              return { ...req, body: JSON.stringify(body) };
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const servers: ChildServer[] = [];
try {
  const bare = await startChild('bare');
  servers.push(bare);
  const sandbox = await startChild('sandbox');
  servers.push(sandbox);
  const token = await fullToken(sandbox.url, 'orders:create');

  // One second of warm-up each, so both are measured with their code optimised.
  await run(bare.url, token, 'warm-bare', 1);
  await run(sandbox.url, token, 'warm', 1);
  const bareRates: number[] = [];
  const sandboxRates: number[] = [];
  const ratios: number[] = [];
  let bareNon2xx = 0;
  let sandboxNon2xx = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const b = await run(bare.url, token, `bare-${round}`, SECONDS);
    const s = await run(sandbox.url, token, `r${round}`, SECONDS);
    bareRates.push(b['2xx'] / SECONDS);
    sandboxRates.push(s['2xx'] / SECONDS);
    // Each round's ratio pairs two runs made seconds apart, so load from elsewhere on the machine hits both alike.
    ratios.push(s['2xx'] / b['2xx']);
    bareNon2xx += b.non2xx + b.errors;
    sandboxNon2xx += s.non2xx + s.errors;
    console.log(
      `round ${round + 1}: bare ${(b['2xx'] / SECONDS).toFixed(0)} req/s, sandbox ${(s['2xx'] / SECONDS).toFixed(0)} req/s, ratio ${ratios[round]!.toFixed(3)} (status codes: bare ${JSON.stringify(b.statusCodeStats)}, sandbox ${JSON.stringify(s.statusCodeStats)})`,
    );
  }
  const bareMedian = median(bareRates);
  const sandboxMedian = median(sandboxRates);
  const ratio = median(ratios);
  console.log(
    `BENCH_RESULT ${JSON.stringify({
      title: 'Sandbox create-order throughput vs bare node:http',
      rows: [
        { metric: 'bare node:http canned 201 (median)', value: Math.round(bareMedian), unit: 'req/s' },
        {
          metric: 'sandbox POST /api/v1/orders, full validation (median)',
          value: Math.round(sandboxMedian),
          unit: 'req/s',
        },
        {
          metric: 'ratio sandbox / bare, median of paired rounds (target >= 0.5)',
          value: Number(ratio.toFixed(3)),
          unit: 'x',
        },
        { metric: 'ratio, lowest round', value: Number(Math.min(...ratios).toFixed(3)), unit: 'x' },
        { metric: 'non-2xx or errored responses, bare', value: bareNon2xx, unit: 'count' },
        { metric: 'non-2xx or errored responses, sandbox', value: sandboxNon2xx, unit: 'count' },
      ],
      note: `autocannon ${CONNECTIONS} connections, ${SECONDS} s per run, ${ROUNDS} alternating rounds (bare then sandbox) after 1 s warm-up each; the ratio is the median of the rounds' sandbox/bare ratios; each server in its own process on 127.0.0.1; only 2xx counted. Every sandbox request is a distinct valid order (the documented example with unique order_id, item_id and merchant_tracking), validated against the bundled spec and stored.`,
    })}`,
  );
  if (sandboxNon2xx > 0) process.exitCode = 1;
} finally {
  for (const s of servers) await s.stop();
}
