// The sandbox-only Starship controls: the webhook target, the order actions' order of checks and refusals, the delivery
// log, and receivers that fail without breaking the sandbox.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { starshipOf } from '../src/starship/state.ts';
import { type Got, Harness } from './helpers.ts';
import {
  type Answer,
  BULK_CAP,
  checkWebhookPayload,
  control,
  IN_STOCK,
  logOf,
  OUT_OF_STOCK,
  PARTIAL,
  PARTIAL_STOCK,
  placed,
  read,
  settled,
  startReceiver,
} from './starship-support.ts';

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(() => h.close());

const TARGET = '/_sandbox/starship/webhook-target';
const setTarget = (url: unknown) => h.call(TARGET, { method: 'PUT', json: { url } });

/** A fresh order in each state a control may be tried on. */
const inState = {
  delivered: () => placed(h, { sku: IN_STOCK, quantity: 1 }),
  pending: () => placed(h, { sku: OUT_OF_STOCK, quantity: 1 }),
  partial: () => placed(h, { sku: PARTIAL, quantity: PARTIAL_STOCK + 1 }),
  'cancelled (bulk cap)': () => placed(h, { sku: IN_STOCK, quantity: BULK_CAP + 1 }),
  'cancelled (late)': async () => {
    const o = await placed(h, { sku: IN_STOCK, quantity: 1 });
    expect((await control(h, o.body.id, 'cancel', { refund: 'succeeds' })).status).toBe(200);
    return read(h, o.body.id);
  },
} satisfies Record<string, () => Promise<Got>>;

const actions = [
  ['escalate', { outcome: 'vouchers' }, 'pending'],
  ['escalate', { outcome: 'failure' }, 'pending'],
  ['settle', { outcome: 'fulfilled' }, 'partial'],
  ['settle', { outcome: 'refunded' }, 'partial'],
  ['cancel', { refund: 'succeeds' }, 'delivered'],
  ['cancel', { refund: 'fails' }, 'delivered'],
] as const;

describe('an order action on an order not where it starts -> 409, nothing changes, no webhook', () => {
  const refusals = actions.flatMap(([action, json, allowed]) =>
    (Object.keys(inState) as (keyof typeof inState)[])
      .filter((s) => s !== allowed)
      .map((state) => [action, JSON.stringify(json), state, json] as const),
  );
  test.each(refusals)('%s %s on a %s order', async (action, _shown, state, json) => {
    const o = await inState[state]();
    await settled(h);
    const events = starshipOf(h.state).webhooks.log.length;
    const got = await control(h, o.body.id, action, json);
    expect(got.status).toBe(409);
    expect(got.body.message).toContain(`${o.body.status} · ${o.body.sub_status}`);
    expect((await read(h, o.body.id)).body).toEqual(o.body);
    expect(starshipOf(h.state).webhooks.log.length).toBe(events);
  });

  test('a second late cancellation is refused: CANCELLED has no exit (SS6)', async () => {
    const o = await placed(h, { sku: IN_STOCK, quantity: 2 });
    const first = await control(h, o.body.id, 'cancel', { refund: 'fails' });
    expect(first.body.data.order.sub_status).toBe('NOT_REFUNDED');
    for (const refund of ['fails', 'succeeds']) {
      const again = await control(h, o.body.id, 'cancel', { refund });
      expect(again.status).toBe(409);
    }
    expect((await read(h, o.body.id)).body).toEqual(first.body.data.order);
    expect((await logOf(h, o.body.id)).map((e) => e.type)).toEqual(['order.delivered', 'order.cancelled']);
  });
});

describe('order of checks: body parses, order exists, body valid, state', () => {
  test.each([
    [
      'broken JSON on an unknown order',
      'ord_0000000000',
      { body: '{', headers: { 'content-type': 'application/json' } },
      400,
    ],
    ['text/plain on an unknown order', 'ord_0000000000', { body: 'x', headers: { 'content-type': 'text/plain' } }, 415],
    ['no body at all', 'ord_0000000000', { body: '', headers: { 'content-type': 'application/json' } }, 400],
    ['an invalid body on an unknown order', 'ord_0000000000', { json: { outcome: 'maybe' } }, 404],
    ['an invalid body on a delivered order', null, { json: { outcome: 'maybe' } }, 422],
    ['an unknown field on a delivered order', null, { json: { outcome: 'vouchers', note: 'x' } }, 422],
  ])('escalate: %s -> %i', async (_name, id, sent, status) => {
    const target = id ?? (await inState.delivered()).body.id;
    const got = await h.call(`/_sandbox/starship/orders/${target}/escalate`, { method: 'POST', ...sent });
    expect(got.status).toBe(status);
  });

  test.each([
    ['settle', { outcome: 'partly' }, 'outcome'],
    ['settle', {}, 'outcome'],
    ['cancel', { refund: 'maybe' }, 'refund'],
    ['cancel', { outcome: 'vouchers' }, 'outcome'],
  ] as const)('%s with %j -> 422 naming %s', async (action, json, field) => {
    const o = await (action === 'settle' ? inState.partial() : inState.delivered());
    const got = await control(h, o.body.id, action, json);
    expect(got.status).toBe(422);
    expect(Object.keys(got.body.errors)).toContain(field);
  });

  test("every control answers 404 for an unknown order, any account's order being known to the operator", async () => {
    for (const [action, json] of actions) expect((await control(h, 'ord_0000000000', action, json)).status).toBe(404);
    const other = await placed(h, { sku: OUT_OF_STOCK, quantity: 1 }, 'ss_test_nebula_key');
    expect((await control(h, other.body.id, 'escalate', { outcome: 'vouchers' })).status).toBe(200);
  });
});

describe('the webhook target and the delivery log', () => {
  test('without a target every event is logged not_sent, with its payload valid', async () => {
    const o = await placed(h, { sku: OUT_OF_STOCK, quantity: 1 });
    await control(h, o.body.id, 'escalate', { outcome: 'failure' });
    const log = await logOf(h, o.body.id);
    expect(log.map((e) => [e.type, e.status, e.url, e.response_status, e.error])).toEqual([
      ['order.pending', 'not_sent', null, null, null],
      ['order.cancelled', 'not_sent', null, null, null],
    ]);
    for (const e of log) checkWebhookPayload(e.payload);
  });

  test('set, used, cleared: events go where the target was when they fired', async () => {
    const receiver = await startReceiver();
    try {
      expect((await setTarget(receiver.url)).body).toEqual({ data: { url: receiver.url } });
      const o = await placed(h, { sku: OUT_OF_STOCK, quantity: 1 });
      expect((await setTarget(null)).body).toEqual({ data: { url: null } });
      await control(h, o.body.id, 'escalate', { outcome: 'vouchers' });
      await settled(h);
      expect(receiver.of(o.body.id).map((b) => b.type)).toEqual(['order.pending']);
      expect(receiver.received[0]!.headers['content-type']).toBe('application/json');
      expect((await logOf(h, o.body.id)).map((e) => [e.type, e.status])).toEqual([
        ['order.pending', 'delivered'],
        ['order.delivered', 'not_sent'],
      ]);
    } finally {
      await setTarget(null);
      await receiver.close();
    }
  });

  test.each([
    ['an ftp URL', { url: 'ftp://127.0.0.1/x' }],
    ['not a URL', { url: 'hooks' }],
    ['no url', {}],
    ['a number', { url: 8787 }],
    ['an unknown field', { url: null, secret: 'x' }],
  ])('%s -> 422, the target unchanged', async (_name, json) => {
    const got = await h.call(TARGET, { method: 'PUT', json });
    expect(got.status).toBe(422);
    expect(starshipOf(h.state).webhooks.url).toBeNull();
  });

  test.each([
    ['order_id given twice', '?order_id=a&order_id=b', 422],
    ['order_id longer than 64', `?order_id=${'x'.repeat(65)}`, 422],
    ['order_id empty', '?order_id=', 422],
    ['an order with no events', '?order_id=ord_0000000000', 200],
  ])('log filter: %s -> %i', async (_name, query, status) => {
    const got = await h.call(`/_sandbox/starship/webhooks${query}`);
    expect(got.status).toBe(status);
    if (status === 200) expect(got.body.data).toEqual([]);
  });

  test('the unfiltered log holds every event, oldest first', async () => {
    const got = await h.call('/_sandbox/starship/webhooks');
    expect(got.body.data.map((e: { event_id: string }) => e.event_id)).toEqual(
      starshipOf(h.state).webhooks.log.map((e) => e.event_id),
    );
    expect(got.body.data.length).toBeGreaterThan(0);
  });
});

describe('a receiver that fails never breaks the sandbox', () => {
  test.each<[string, Answer | 'refused', string, number | null, RegExp | null]>([
    ['answers 500', 500, 'failed', 500, null],
    ['redirects', 302, 'failed', 302, null],
    ['answers 200', 200, 'delivered', 200, null],
    ['never answers', 'hang', 'failed', null, /^No answer within 200 ms\.$/],
    ['refuses the connection', 'refused', 'failed', null, /ECONNREFUSED/],
  ])('%s -> logged %s; the API carries on', async (_name, answer, status, responseStatus, error) => {
    const receiver = await startReceiver(() => (answer === 'refused' ? 204 : answer));
    if (answer === 'refused') await receiver.close();
    const sandbox = await Harness.start({ starshipWebhookUrl: receiver.url, starshipWebhookTimeoutMs: 200 });
    try {
      const first = await placed(sandbox, { sku: IN_STOCK, quantity: 1 });
      const second = await placed(sandbox, { sku: OUT_OF_STOCK, quantity: 1 });
      expect((await read(sandbox, first.body.id)).status).toBe(200);
      await settled(sandbox);
      for (const o of [first, second]) {
        const [entry] = await logOf(sandbox, o.body.id);
        expect(entry).toMatchObject({ status, response_status: responseStatus, url: receiver.url });
        if (error) expect(entry!.error).toMatch(error);
        else expect(entry!.error).toBeNull();
      }
    } finally {
      await sandbox.close();
      await receiver.close();
    }
  });

  test('closing the sandbox does not wait for a hanging receiver', async () => {
    const receiver = await startReceiver(() => 'hang');
    const sandbox = await Harness.start({ starshipWebhookUrl: receiver.url, starshipWebhookTimeoutMs: 60_000 });
    try {
      const o = await placed(sandbox, { sku: IN_STOCK, quantity: 1 });
      while (!receiver.received.length) await new Promise((r) => setTimeout(r, 5));
      await sandbox.close();
      expect(starshipOf(sandbox.state).webhooks.log.find((e) => e.order_id === o.body.id)).toMatchObject({
        status: 'failed',
        error: 'The sandbox closed before the receiver answered.',
      });
    } finally {
      await receiver.close();
    }
  });
});

test('startSandbox refuses a webhook URL that is not http(s)', async () => {
  await expect(Harness.start({ starshipWebhookUrl: 'file:///etc/passwd' })).rejects.toThrow(/http\(s\) URL/);
});
