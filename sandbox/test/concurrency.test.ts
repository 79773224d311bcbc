// Uniqueness under concurrency: of 50 identical creates sent at once exactly one is 201, the rest 422 naming order_id.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Harness, homeOrder } from './helpers.ts';

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});

/**
 * Opens 50 keep-alive connections first: otherwise the first create is handled on the one open
 * connection while the other 49 are still connecting, and the creates are not really simultaneous.
 */
async function warmConnections(token: string): Promise<void> {
  await Promise.all(Array.from({ length: 50 }, () => h.call('/api/v1/services', { token })));
}
afterAll(() => h.close());

test('50 identical concurrent creates: one 201, 49 x 422 order_id, one stored order', async () => {
  const token = await h.token('sm_test_full');
  await warmConnections(token);
  const body = homeOrder();
  const results = await Promise.all(Array.from({ length: 50 }, () => h.call('/api/v1/orders', { token, json: body })));
  const statuses = results.map((r) => r.status);
  expect(statuses.filter((s) => s === 201)).toHaveLength(1);
  expect(statuses.filter((s) => s === 422)).toHaveLength(49);
  for (const r of results.filter((x) => x.status === 422))
    expect(Object.keys(r.body.errors)).toEqual(expect.arrayContaining(['order_id']));
  const stored = [...h.state.ordersByTracking.values()].filter((o) => o.reference === body.order_id);
  expect(stored).toHaveLength(1);
  const created = h.state.feed.filter((e) => e.change.external_parent_id === body.order_id);
  expect(created).toHaveLength(1);
});

test('50 concurrent creates sharing only an item_id: one 201', async () => {
  const token = await h.token('sm_test_full');
  await warmConnections(token);
  const shared = homeOrder();
  const item = (shared.parcels as { item_id: string }[])[0]!.item_id;
  const results = await Promise.all(
    Array.from({ length: 50 }, () =>
      h.call('/api/v1/orders', { token, json: homeOrder({ parcels: [{ item_id: item }] }) }),
    ),
  );
  expect(results.filter((r) => r.status === 201)).toHaveLength(1);
  for (const r of results.filter((x) => x.status !== 201)) expect(r.body.errors).toHaveProperty(['parcels.0.item_id']);
});
