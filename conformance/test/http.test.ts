// The suite's HTTP client reads an early answer to an oversized body (413, then the connection closed before the body
// was read) every time, and sends an oversized body again after a reset with no answer, only when asked.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { Agents, HttpClient } from '../src/http.ts';

const servers: { close(): void }[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  servers.push({
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const tooLarge = (res: ServerResponse, then: () => void) => {
  res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
  res.end(JSON.stringify({ message: 'The body is larger than 1 MiB.' }), then);
};
const oversized = { notes: 'x'.repeat(1024 * 1024 + 16) };

test.each([
  [
    'answers 413 and closes without reading the body',
    (req: IncomingMessage, res: ServerResponse) => tooLarge(res, () => req.socket.end()),
  ],
  [
    'answers 413 and resets the connection',
    (req: IncomingMessage, res: ServerResponse) => tooLarge(res, () => req.socket.destroy()),
  ],
])('a server that %s: the 413 is read, 25 times out of 25', async (_what, handler) => {
  const url = await serve(handler);
  const agents = new Agents();
  const http = new HttpClient(url, 'starmile-partner', 5_000, () => {}, agents);
  const statuses: number[] = [];
  for (let i = 0; i < 25; i++) statuses.push((await http.request({ path: '/api/v1/orders', json: oversized })).status);
  agents.close();
  expect(statuses).toEqual(Array(25).fill(413));
});

test('after a reset with no answer, a request marked resendIfReset is sent again; another is not', async () => {
  let calls = 0;
  const url = await serve((req, res) => {
    calls++;
    if (calls === 1) return void req.socket.destroy();
    req.resume();
    req.on('end', () => tooLarge(res, () => undefined));
  });
  const agents = new Agents();
  const http = new HttpClient(url, 'starmile-partner', 5_000, () => {}, agents);
  expect((await http.request({ path: '/api/v1/orders', json: oversized, resendIfReset: true })).status).toBe(413);
  expect(calls).toBe(2);
  calls = 0;
  await expect(http.request({ path: '/api/v1/orders', json: oversized })).rejects.toThrow(/ECONNRESET|EPIPE|hang up/);
  expect(calls).toBe(1);
  agents.close();
});
