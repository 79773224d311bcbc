// A receiver that accepts every Starship webhook (204) and keeps nothing: the embedded sandbox sends its deliveries
// there, so they are sent and signed (an unsent delivery carries no signature) and the signature rules have something
// to judge.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookSink {
  url: string;
  close(): Promise<void>;
}

export async function startWebhookSink(): Promise<WebhookSink> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/starship-webhooks`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
