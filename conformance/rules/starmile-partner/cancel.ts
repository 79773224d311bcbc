// Checks of cancelling an order: at the first step, idempotently, 409 once a parcel moved, 422, and without a body.
import { expect } from '../../src/expect.ts';
import { rule } from '../../src/define.ts';
import { advance, cancelled, cancelOrder, count, created, describeFeed, eachParcelHas, expectError, expectStatus, feedOf, homeOrder, mark, on, parcel, readOrder } from './lib.ts';

rule('CAN-CANCEL', async (t) => {
  const order = await created(t, homeOrder(t, { parcels: [parcel(t), parcel(t)] }));
  const reason = `customer changed their mind (${t.run.runId})`;
  const res = await cancelled(t, order, { reason });
  on(res, (b) => {
    expect(b.data.status).toBe('cancelled');
    expect(b.data.cancellation_reason).toBe(reason);
    expect(b.data.parcels.map((p) => p.status), 'every parcel is cancelled').toEqual(['cancelled', 'cancelled']);
  });
  const read = await readOrder(t, order.orderId);
  expect([read.status, read.cancellation_reason, ...read.parcels.map((p) => p.status)], 'read back').toEqual(['cancelled', reason, 'cancelled', 'cancelled']);
});

rule('CAN-IDEMPOTENT', async (t) => {
  const since = await mark(t);
  const order = await created(t, homeOrder(t, { parcels: [parcel(t), parcel(t)] }));
  await cancelled(t, order);
  await feedOf(t, since, [order.tracking], eachParcelHas(order, 'cancelled'));
  const again = await cancelOrder(t, order.tracking, { reason: 'again' });
  expectStatus(again, 200, 'cancelling again');
  on(again, (b) => expect(b.data.status).toBe('cancelled'));
  expectStatus(await cancelOrder(t, order.orderId, null), 200, 'and again, by order_id, without a body');
  const entries = await feedOf(t, since, [order.tracking]);
  for (const p of order.parcels) expect(count(entries, 'cancelled', p.parcel_id), `one cancelled entry for ${p.parcel_id}; feed: ${describeFeed(entries)}`).toBe(1);
});

rule('CAN-409-PAST-FIRST-STEP', async (t) => {
  t.needHook('advanceParcel');
  const order = await created(t, homeOrder(t, { parcels: [parcel(t), parcel(t)] }));
  await advance(t, order, order.parcels[1]!.parcel_id);
  expectError(await cancelOrder(t, order.orderId), 409, undefined, 'one of two parcels moved');
  const read = await readOrder(t, order.tracking);
  expect([read.status, ...read.parcels.map((p) => p.status)], 'nothing changed').not.toContain('cancelled');
});

rule('CAN-422-INVALID', async (t) => {
  const order = await created(t, homeOrder(t));
  expectError(await cancelOrder(t, order.orderId, { reason: 'x'.repeat(1001) }), 422, 'reason', 'a reason over 1000 characters');
  expectError(await cancelOrder(t, order.orderId, { reason: 'ok', refund: true }), 422, 'refund', 'an undefined field');
  expect((await readOrder(t, order.tracking)).status, 'nothing changed').toBe('created');
});

rule('CAN-BODY-OPTIONAL', async (t) => {
  const order = await created(t, homeOrder(t));
  const res = await cancelOrder(t, order.tracking, null);
  expectStatus(res, 200, 'a cancel without a body');
  order.settled = true;
  on(res, (b) => expect(b.data.status).toBe('cancelled'));
});
