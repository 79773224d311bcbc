// verifyWebhook runs in a browser as it does in Node: the module and what it imports (the spec's facts), bundled for the
// browser, are loaded into headless Chromium and tell a signed, a forged and a replayed delivery apart there.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const SECRET = 'whsec_browser_test_5e6f7a8b9c';

let server: Server;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  const bundled = await build({
    entryPoints: [fileURLToPath(new URL('../src/webhook-signature.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
  });
  const js = bundled.outputFiles[0]!.text;
  server = createServer((req, res) => {
    if (req.url === '/webhook-signature.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>verifyWebhook</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Fail, never skip: a helper that was never run in a browser has not been shown to run there.
  const browserAt = inject('chromium');
  if ('error' in browserAt) throw new Error(browserAt.error);
  browser = await chromium.connect(browserAt.wsEndpoint);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
});

describe('in Chromium', () => {
  it('signs as Node does, and tells a signed, a forged, a replayed and a malformed delivery apart', async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/`);
    const body = JSON.stringify({
      event_id: 'evt_browser01',
      type: 'order.cancelled',
      occurred_at: '2025-03-14T09:00:00.000Z',
      order: { id: 'ord_browser1' },
    });
    const t = 1_741_945_200;
    const nodeHeader = `t=${t},v1=${createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex')}`;
    // A string, not a function: vitest rewrites `import()` inside functions it compiles.
    const script = `(async () => {
      const m = await import('/webhook-signature.js');
      const [body, t, secret, nodeHeader] = ${JSON.stringify([body, t, SECRET, nodeHeader])};
      const now = (t + 20) * 1000;
      const signed = await m.signWebhook(body, secret, t);
      const reason = (v) => (v.ok ? 'ok' : v.reason);
      return {
        secure: window.isSecureContext,
        signedHere: signed,
        nodeSigned: reason(await m.verifyWebhook(body, nodeHeader, secret, { now })),
        bytes: reason(await m.verifyWebhook(new TextEncoder().encode(body), signed, secret, { now })),
        forged: reason(await m.verifyWebhook(body.replace('cancelled', 'delivered'), signed, secret, { now })),
        replayed: reason(await m.verifyWebhook(body, signed, secret, { now: now + 3600000 })),
        malformed: reason(await m.verifyWebhook(body, 'v1=nothing', secret, { now })),
      };
    })()`;
    const result = await page.evaluate(script);
    expect(result).toEqual({
      secure: true,
      signedHere: nodeHeader,
      nodeSigned: 'ok',
      bytes: 'ok',
      forged: 'forged',
      replayed: 'replayed',
      malformed: 'malformed',
    });
    await page.close();
  });
});
