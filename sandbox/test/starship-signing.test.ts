// Starship webhooks are signed (decision SX8) and what the sandbox keeps for them is bounded (decision SB16): every
// delivery carries a Starship-Signature that verifies with its account's secrets, the log holds a bounded number of
// entries and bytes, the queue of waiting deliveries is bounded, and an order over the bulk cap is held without its
// units.
import { afterEach, describe, expect, test } from 'vitest';
import { verifyWebhook } from '../../client/src/starship.ts';
import { loadSpec } from '../../contract/index.ts';
import { starshipOf } from '../src/starship/state.ts';
import { fixtures, Harness, secretOf, withFreshSandbox } from './helpers.ts';
import {
  BULK_CAP,
  IN_STOCK,
  KEY,
  logOf,
  OTHER_KEY,
  OUT_OF_STOCK,
  placed,
  read,
  settled,
  startReceiver,
  withReceiver,
} from './starship-support.ts';

const account = (key: string) => fixtures.starship.accounts.find((a) => a.api_key === key)!;
const LOG_MAX: number = loadSpec('sandbox-admin').components.schemas.StarshipWebhookLog.properties.data.maxItems;
/** The other bounds of what the sandbox keeps (decision SB16), as the operator spec states them. */
const BOUNDS: { tokensPerClient: number; webhookLogBodyBytes: number; waitingDeliveries: number } =
  loadSpec('sandbox-admin').info['x-sandbox-bounds'];

describe('signed deliveries', () => {
  const ctx = withReceiver();

  test.each([
    ['an account with one secret', KEY, 1],
    ['an account rotating its secret (two)', OTHER_KEY, 2],
  ])(
    '%s: the header verifies over the raw body with each secret, and the log records both',
    async (_name, key, count) => {
      const { h, receiver } = ctx;
      const order = await placed(h, { sku: IN_STOCK, quantity: 2 }, key);
      await settled(h);
      const got = receiver.received.filter((r) => r.body.order.id === order.body.id);
      expect(got).toHaveLength(1);
      const header = got[0]!.headers['starship-signature'] as string;
      expect(header.split(',').filter((p) => p.startsWith('v1='))).toHaveLength(count);
      for (const secret of account(key).webhook_secrets) {
        const verified = await verifyWebhook(got[0]!.raw, header, secret);
        expect(verified.ok, JSON.stringify(verified)).toBe(true);
      }
      expect(
        (await verifyWebhook(got[0]!.raw, header, account(key === KEY ? OTHER_KEY : KEY).webhook_secrets[0]!)).ok,
      ).toBe(false);
      const [entry] = await logOf(h, order.body.id);
      expect(entry).toMatchObject({ signature: header, body: got[0]!.raw });
    },
  );

  test('an event fired with no target is logged with its body and no signature', async () => {
    await withFreshSandbox(async (quiet) => {
      const order = await placed(quiet, { sku: OUT_OF_STOCK, quantity: 1 });
      const [entry] = await logOf(quiet, order.body.id);
      expect(entry).toMatchObject({ status: 'not_sent', signature: null });
      expect(JSON.parse((entry as unknown as { body: string }).body)).toEqual(entry!.payload);
    });
  });
});

describe('bounds on what the sandbox keeps', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  test(`the log keeps the latest ${LOG_MAX} deliveries, oldest dropped first`, async () => {
    h = await Harness.start();
    const ids: string[] = [];
    for (let i = 0; i < LOG_MAX + 20; i++) ids.push((await placed(h, { sku: OUT_OF_STOCK, quantity: 1 })).body.id);
    const got = await h.call('/_sandbox/starship/webhooks');
    expect(got.body.data).toHaveLength(LOG_MAX);
    expect(got.body.data[0].order_id).toBe(ids[20]);
    expect(got.body.data.at(-1).order_id).toBe(ids.at(-1));
  });

  test(`the log keeps at most ${BOUNDS.webhookLogBodyBytes} bytes of bodies`, async () => {
    h = await Harness.start();
    for (let i = 0; i < 20; i++) await placed(h, { sku: IN_STOCK, quantity: 10_000 });
    const log = starshipOf(h.state).webhooks.log;
    const bytes = log.reduce((n, e) => n + Buffer.byteLength(e.body), 0);
    expect(bytes).toBeLessThanOrEqual(BOUNDS.webhookLogBodyBytes);
    expect(log.length).toBeGreaterThan(5);
    expect(log.length).toBeLessThan(20);
  });

  test(`at most ${BOUNDS.waitingDeliveries} deliveries wait for a receiver; the next ones are logged failed and never sent`, async () => {
    const receiver = await startReceiver(() => 'hang');
    h = await Harness.start({ starshipWebhookUrl: receiver.url, starshipWebhookTimeoutMs: 60_000 });
    try {
      for (let i = 0; i < BOUNDS.waitingDeliveries + 30; i++) await placed(h, { sku: OUT_OF_STOCK, quantity: 1 });
      const log = starshipOf(h.state).webhooks.log;
      expect(log.filter((e) => e.status === 'pending')).toHaveLength(BOUNDS.waitingDeliveries);
      const dropped = log.filter((e) => e.status === 'failed');
      expect(dropped).toHaveLength(30);
      expect(dropped[0]!.error).toContain(`${BOUNDS.waitingDeliveries} deliveries`);
    } finally {
      await h.close();
      h = undefined;
      await receiver.close();
    }
  });

  test(`an order over the bulk cap (${BULK_CAP}) is answered and read with every unit, but held without them`, async () => {
    h = await Harness.start();
    const quantity = 10_000;
    const order = await placed(h, { sku: IN_STOCK, quantity });
    expect(order.body).toMatchObject({ status: 'CANCELLED', sub_status: 'BULK_LIMIT_EXCEEDED' });
    expect(order.body.items).toHaveLength(quantity);
    expect(order.body.items[quantity - 1]).toEqual({
      id: `itm_${order.body.id.slice(4)}_${quantity}`,
      status: 'CANCELLED',
      voucher: null,
    });
    const again = await read(h, order.body.id);
    expect(again.body).toEqual(order.body);
    const [entry] = await logOf(h, order.body.id);
    expect(entry!.payload.order).toEqual(order.body);
    // What stays in memory for it: the order without its units.
    const held = starshipOf(h.state).orders.get(order.body.id)!;
    expect(held.order.items.length).toBeLessThanOrEqual(1);
    expect(held.units).toBe(quantity);
  });

  test(`at most ${BOUNDS.tokensPerClient} live tokens per client: issuing another revokes the oldest`, async () => {
    h = await Harness.start();
    const issue = async () =>
      (
        await h!.call('/oauth/token', {
          json: {
            grant_type: 'client_credentials',
            client_id: 'sm_test_read',
            client_secret: secretOf('sm_test_read'),
          },
        })
      ).body.access_token as string;
    const tokens: string[] = [];
    for (let i = 0; i < BOUNDS.tokensPerClient + 30; i++) tokens.push(await issue());
    expect([...h.state.tokens.values()].filter((t) => t.clientId === 'sm_test_read')).toHaveLength(
      BOUNDS.tokensPerClient,
    );
    expect((await h.call('/api/v1/partner/changes', { token: tokens[0]! })).status).toBe(401);
    expect((await h.call('/api/v1/partner/changes', { token: tokens[29]! })).status).toBe(401);
    expect((await h.call('/api/v1/partner/changes', { token: tokens[30]! })).status).toBe(200);
    expect((await h.call('/api/v1/partner/changes', { token: tokens.at(-1)! })).status).toBe(200);
  });
});
