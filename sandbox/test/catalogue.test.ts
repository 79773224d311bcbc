// Services listed only where the partner holds an active rate in the credential's warehouse; rates scoped to the
// partner.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Harness } from './helpers.ts';

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(() => h.close());

test.each([
  ['sm_test_full', [4, 5, 6, 7, 8]],
  ['sm_test_writer', [4, 5, 6, 7, 8]],
  ['sm_test_istanbul', [10]],
  ['sm_other_full', [4]],
])('%s sees services %j (9 has only an inactive rate; 10 is in warehouse 2)', async (clientId, ids) => {
  const got = await h.call('/api/v1/services', { token: await h.token(clientId) });
  expect(got.status).toBe(200);
  expect(got.body.data.map((s: { id: number }) => s.id)).toEqual(ids);
});

test('services cover every delivery type, one consolidating and one not', async () => {
  const got = await h.call('/api/v1/services', { token: await h.token('sm_test_full') });
  const types = new Set(got.body.data.map((s: { delivery_type: string }) => s.delivery_type));
  expect([...types].sort()).toEqual(['clearance', 'cross_docking', 'home_delivery', 'locker', 'pudo']);
  const consolidation = new Set(got.body.data.map((s: { consolidation_enabled: boolean }) => s.consolidation_enabled));
  expect([...consolidation].sort()).toEqual([false, true]);
});

test.each([
  ['sm_test_full', [31, 32, 33, 34, 35, 36], 7],
  ['sm_other_full', [31, 37], 8],
])('%s sees rates %j, each with its own bindings only', async (clientId, ids, partnerId) => {
  const got = await h.call('/api/v1/rates', { token: await h.token(clientId) });
  expect(got.status).toBe(200);
  expect(got.body.data.map((r: { id: number }) => r.id)).toEqual(ids);
  for (const rate of got.body.data) for (const b of rate.bindings) expect(b.partner_id).toBe(partnerId);
});
