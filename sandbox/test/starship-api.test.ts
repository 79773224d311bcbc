// The Starship API of the sandbox at its edges: API keys and accounts, every bad body a documented 422 that stores
// nothing, unknown orders 404, and the banner.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fill } from '../../contract/messages.ts';
import { realms, messages as say } from '../../contract/starship-rewards.ts';
import { banner } from '../src/banner.ts';
import { starshipOf } from '../src/starship/state.ts';
import { fixtures, Harness } from './helpers.ts';
import { IN_STOCK, KEY, OTHER_KEY, OUT_OF_STOCK, place, placed, read } from './starship-support.ts';

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(() => h.close());

const ORDERS = '/starship/v1/orders';

/** The challenge of a 401 (RFC 6750 §3): the realm the spec's `bearerAuth` states, and the error once a key was sent. */
const BARE = `Bearer realm="${realms.bearerAuth}"`;
const INVALID = `${BARE}, error="invalid_token"`;

describe('API keys', () => {
  test.each([
    ['no Authorization header', undefined, BARE],
    ['an unknown key', 'Bearer ss_nobody_key', INVALID],
    ['another scheme', `Basic ${Buffer.from(`${KEY}:`).toString('base64')}`, INVALID],
    ['a Starmile client secret', `Bearer ${fixtures.credentials[0]!.client_secret}`, INVALID],
  ])('%s -> 401 before the body is read, on both operations', async (_name, authorization, challenge) => {
    const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
    const before = starshipOf(h.state).orders.size;
    for (const got of [
      await h.call(ORDERS, { headers, body: 'not json' }),
      await h.call(`${ORDERS}/ord_anything`, { headers }),
    ]) {
      expect(got.status).toBe(401);
      expect(got.headers.get('www-authenticate')).toBe(challenge);
    }
    expect(starshipOf(h.state).orders.size).toBe(before);
  });

  test('every fixture key places orders; an order is visible to its own account only (404 to another)', async () => {
    const mine = await placed(h, { sku: IN_STOCK, quantity: 1 });
    const theirs = await placed(h, { sku: IN_STOCK, quantity: 1 }, OTHER_KEY);
    expect((await read(h, mine.body.id)).status).toBe(200);
    expect((await read(h, theirs.body.id, OTHER_KEY)).status).toBe(200);
    const crossed = await read(h, theirs.body.id);
    expect(crossed.status).toBe(404);
    // The same answer as for an id that does not exist, so a key learns nothing about other accounts.
    expect(crossed.body).toEqual({ message: fill(say.orderNotFound, { id: theirs.body.id }) });
    expect((await read(h, 'ord_0000000000')).body).toEqual({
      message: fill(say.orderNotFound, { id: 'ord_0000000000' }),
    });
  });
});

describe('POST /orders with a bad body -> 422 naming the field, nothing stored, no webhook', () => {
  const json = (value: unknown) => ({ body: JSON.stringify(value), headers: { 'content-type': 'application/json' } });
  test.each([
    ['quantity 0', json({ sku: IN_STOCK, quantity: 0 }), 'quantity'],
    ['quantity over the contract bound', json({ sku: IN_STOCK, quantity: 10_001 }), 'quantity'],
    ['quantity as a string', json({ sku: IN_STOCK, quantity: '2' }), 'quantity'],
    ['quantity 1.5', json({ sku: IN_STOCK, quantity: 1.5 }), 'quantity'],
    ['no sku', json({ quantity: 1 }), 'sku'],
    ['an empty sku', json({ sku: '', quantity: 1 }), 'sku'],
    ['an sku longer than 64', json({ sku: 'X'.repeat(65), quantity: 1 }), 'sku'],
    ['an unknown product', json({ sku: 'NO-SUCH-SKU', quantity: 1 }), 'sku'],
    ['an empty reference', json({ sku: IN_STOCK, quantity: 1, reference: '' }), 'reference'],
    ['an unknown field', json({ sku: IN_STOCK, quantity: 1, product: 'x' }), 'product'],
    [
      'a field named __proto__',
      { body: `{"sku":"${IN_STOCK}","quantity":1,"__proto__":1}`, headers: { 'content-type': 'application/json' } },
      '__proto__',
    ],
    ['an array', json([]), 'body'],
    ['null', json(null), 'body'],
    ['broken JSON', { body: '{"sku":', headers: { 'content-type': 'application/json' } }, 'body'],
    ['an empty body', { body: '', headers: { 'content-type': 'application/json' } }, 'body'],
    [
      'a form body',
      { body: `sku=${IN_STOCK}&quantity=1`, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      'body',
    ],
    ['no Content-Type', { body: JSON.stringify({ sku: IN_STOCK, quantity: 1 }), headers: {} }, 'body'],
    ['a body over 1 MiB', json({ sku: IN_STOCK, quantity: 1, reference: 'x'.repeat(1024 * 1024) }), 'body'],
  ])('%s', async (_name, sent, field) => {
    const state = starshipOf(h.state);
    const [orders, events] = [state.orders.size, state.webhooks.log.length];
    const got = await h.call(ORDERS, { token: KEY, ...sent });
    expect(got.status).toBe(422);
    expect(got.body.message).toBe(say.notPlaced);
    expect(Object.keys(got.body.errors)).toEqual([field]);
    expect([state.orders.size, state.webhooks.log.length]).toEqual([orders, events]);
  });

  test('several faults are all named', async () => {
    const got = await place(h, { quantity: 0, extra: true });
    expect(got.status).toBe(422);
    expect(Object.keys(got.body.errors).sort()).toEqual(['extra', 'quantity', 'sku']);
  });
});

describe('GET /orders/{id}', () => {
  test.each([
    ['an unknown id', 'ord_0000000000'],
    ['an id longer than any order id', `ord_${'x'.repeat(200)}`],
    ['an id with encoded characters', 'ord_%2F..%2F'],
  ])('%s -> 404', async (_name, id) => {
    const got = await h.call(`${ORDERS}/${id}`, { token: KEY });
    expect(got.status).toBe(404);
  });

  test('a reference left out reads back as null; the order reads back as it was placed', async () => {
    const created = await placed(h, { sku: OUT_OF_STOCK, quantity: 1 });
    expect(created.body.reference).toBeNull();
    expect((await read(h, created.body.id)).body).toEqual(created.body);
  });

  test.each([
    ['DELETE', `${ORDERS}/ord_x`, 405],
    ['PUT', ORDERS, 405],
    ['GET', '/starship/v1/nothing', 404],
    ['GET', '/starship/v2/orders', 404],
  ])('%s %s -> %i with the error body', async (method, path, status) => {
    expect((await h.call(path, { method, token: KEY })).status).toBe(status);
  });
});

test('the banner names every Starship key with its bulk cap, every product with its stock and path, and every control', () => {
  const text = banner('http://127.0.0.1:4020', 3600, fixtures, 'http://127.0.0.1:8787/hooks');
  expect(text).toContain('http://127.0.0.1:4020/starship/v1');
  for (const a of fixtures.starship.accounts)
    expect(text).toContain(
      `${a.api_key} -> ${a.name}, bulk cap ${a.bulk_cap}, webhooks signed with ${a.webhook_secrets.join(' and ')}`,
    );
  for (const p of fixtures.starship.products)
    expect(text).toMatch(new RegExp(`${p.sku}: stock ${p.stock} -> (instant|pending)`));
  expect(text).toContain('Webhooks go to: http://127.0.0.1:8787/hooks');
  expect(banner('http://127.0.0.1:4020', 3600, fixtures)).toContain('--starship-webhook-url');
});
