// A server process for the throughput bench: `bare` (node:http answering a canned 201) or `sandbox`; prints `LISTENING
// <url>`.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSandbox } from '../src/server.ts';

const CANNED = JSON.stringify({
  data: {
    order_id: 'SM0000000001',
    external_parent_id: 'PO-1',
    region_status: 'mapped',
    items: [{ item_id: 'PKG-1', parcel_id: 'SP0000000001', merchant_tracking: 'CN1' }],
  },
});

const mode = process.argv[2];
if (mode === 'bare') {
  // Reads the body as any server must, then answers the same 201 every time: the floor the sandbox is compared with.
  const server = createServer((req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      res.writeHead(201, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(CANNED),
        Location: '/api/v1/orders/SM0000000001',
      });
      res.end(CANNED);
    });
  });
  server.listen(0, '127.0.0.1', () =>
    console.log(`LISTENING http://127.0.0.1:${(server.address() as AddressInfo).port}`),
  );
} else if (mode === 'sandbox') {
  // Starship webhooks go to a sink that answers 204, so they are sent and logged as on a sandbox with a target: the
  // suite's signature rules (SHIP-WEBHOOK-*) judge the deliveries instead of reporting them not verified.
  const sink = createServer((req, res) => req.resume().on('end', () => res.writeHead(204).end()));
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const sandbox = await startSandbox({
    port: 0,
    host: '127.0.0.1',
    tokenTtlSeconds: 86_400,
    starshipWebhookUrl: `http://127.0.0.1:${(sink.address() as AddressInfo).port}/starship-webhooks`,
  });
  console.log(`LISTENING ${sandbox.url}`);
} else {
  console.error('usage: serve.ts bare|sandbox');
  process.exit(2);
}
