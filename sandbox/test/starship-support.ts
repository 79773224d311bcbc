// What the Starship sandbox tests share: a local webhook receiver, the payload check against the spec, and short calls
// to the Starship API and its controls.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect } from 'vitest';
import { loadSpec, requestBodyAt, toFieldErrors, validatorAt } from '../../contract/index.ts';
import { STARSHIP_PREFIX } from '../src/starship/prefix.ts';
import { starshipOf } from '../src/starship/state.ts';
import { fixtures, type Got, Harness } from './helpers.ts';

export const KEY = fixtures.starship.accounts[0]!.api_key;
export const OTHER_KEY = fixtures.starship.accounts[1]!.api_key;
export const BULK_CAP = fixtures.starship.accounts[0]!.bulk_cap;
const sku = (pick: (stock: number) => boolean) => {
  const product = fixtures.starship.products.find((p) => pick(p.stock) && p.delivery === 'code');
  if (!product) throw new Error('the fixtures lack a product for this path');
  return product;
};
/** Products by the path they drive (stock never runs down, decision SS2). */
export const IN_STOCK = sku((s) => s >= BULK_CAP).sku;
export const OUT_OF_STOCK = sku((s) => s === 0).sku;
const partial = sku((s) => s > 0 && s < BULK_CAP);
export const PARTIAL = partial.sku;
export const PARTIAL_STOCK = partial.stock;
export const LINK = fixtures.starship.products.find((p) => p.delivery === 'link' && p.stock >= BULK_CAP)!.sku;

export interface Received {
  headers: IncomingHttpHeaders;
  /** The body exactly as it arrived, which its signature covers. */
  raw: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export type Answer = number | 'hang';

/** A webhook receiver on 127.0.0.1 (free port) that records every POST and answers as told. */
export async function startReceiver(answer: () => Answer = () => 204) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: req.headers, raw, body: JSON.parse(raw) });
      const a = answer();
      if (a !== 'hang') res.writeHead(a).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    /** Bodies received about one order, in arrival order. */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    of: (orderId: string): any[] => received.filter((r) => r.body.order?.id === orderId).map((r) => r.body),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Throws unless `body` is a payload of its webhook as the Starship spec describes it. */
export function checkWebhookPayload(body: any): void {
  expect(Object.keys(loadSpec('starship-rewards').webhooks)).toContain(body?.type);
  const validate = validatorAt('starship-rewards', ...requestBodyAt('webhooks', body.type, 'post'));
  expect(validate(body), `${body.type}: ${JSON.stringify(toFieldErrors(validate.errors))}`).toBe(true);
}

/** Waits until every webhook fired so far has been POSTed (or has failed). */
export const settled = (h: Harness) => starshipOf(h.state).webhooks.idle();

export const place = (h: Harness, json: unknown, key = KEY): Promise<Got> =>
  h.call(`${STARSHIP_PREFIX}/orders`, { token: key, json });

/** Places an order that must be accepted (201). */
export async function placed(h: Harness, json: Record<string, unknown>, key = KEY): Promise<Got> {
  const got = await place(h, json, key);
  expect(got.status, JSON.stringify(got.body)).toBe(201);
  return got;
}

export const read = (h: Harness, id: string, key = KEY): Promise<Got> =>
  h.call(`${STARSHIP_PREFIX}/orders/${encodeURIComponent(id)}`, { token: key });

export const control = (
  h: Harness,
  id: string,
  action: 'escalate' | 'settle' | 'cancel',
  json: unknown,
): Promise<Got> => h.call(`/_sandbox/starship/orders/${encodeURIComponent(id)}/${action}`, { json });

/** The webhook log entries of one order. */
export async function logOf(h: Harness, orderId: string) {
  const got = await h.call(`/_sandbox/starship/webhooks?order_id=${encodeURIComponent(orderId)}`);
  expect(got.status).toBe(200);
  return got.body.data as {
    event_id: string;
    type: string;
    status: string;
    url: string | null;
    response_status: number | null;
    error: string | null;
    payload: { order: { status: string } };
  }[];
}

/**
 * A sandbox that POSTs its Starship webhooks to a local receiver, both started before a file's (or a describe's) tests
 * and closed after them.
 */
export function withReceiver(): { h: Harness; receiver: Awaited<ReturnType<typeof startReceiver>> } {
  const ctx = {} as { h: Harness; receiver: Awaited<ReturnType<typeof startReceiver>> };
  beforeAll(async () => {
    ctx.receiver = await startReceiver();
    ctx.h = await Harness.start({ starshipWebhookUrl: ctx.receiver.url });
  });
  afterAll(async () => {
    await ctx.h.close();
    await ctx.receiver.close();
  });
  return ctx;
}
