// Checks of cancelling an order: at the first step, idempotently, 409 once a parcel moved, 422, and without a body.
import { expect } from '../../src/expect.ts';
import { answer, at, currentOrder, json, kept, noConflict, request, response } from '../../src/fault-kit.ts';
import { CHANGE_ENTRY, READ_BACK } from './designed.ts';
import {
  advance,
  cancelled,
  cancelOrder,
  count,
  created,
  describeFeed,
  eachParcelHas,
  expectError,
  expectStatus,
  feedOf,
  homeOrder,
  mark,
  on,
  parcel,
  readOrder,
} from './lib.ts';
import { CANCEL, designed, rule, S001, seed } from './meta.ts';
import { property } from './spec.ts';

/** The longest reason the spec allows (D14). */
const REASON_MAX = property('CancelOrderRequest', 'reason').maxLength as number;

rule({
  id: 'CAN-CANCEL',
  level: 'MUST',
  operations: ['cancelOrder'],
  tags: ['cancel'],
  title:
    'An order at its first step cancels (with an optional reason); designed: 200, status cancelled, reason kept, every parcel cancelled, also when read back.',
  source: seed(S001, 'Cancel an order while it is still at its flow’s first step'),
  fault: response(
    (r) => at.cancelOrder(r) || at.getOrder(r),
    (res) => {
      if (res.json?.data?.status === 'cancelled') res.json.data.cancellation_reason = null;
    },
  ),
  moreFaults: [
    {
      bug: 'an order at its first step is refused as if it had moved on',
      class: 'documented',
      fault: answer(at.cancelOrder, () => json(409, { message: 'The order can no longer be cancelled.' })),
    },
  ],
  check: async (t) => {
    const order = await created(t, homeOrder(t, { parcels: [parcel(t), parcel(t)] }));
    const reason = `customer changed their mind (${t.run.runId})`;
    const res = await cancelOrder(t, order.tracking, { reason });
    on(res, () =>
      expect(res.status >= 200 && res.status < 300, `the cancel is accepted (2xx), got ${res.status}`).toBe(true),
    );
    order.settled = true;
    const read = await readOrder(t, order.orderId);
    t.designed(READ_BACK, () => {
      expectStatus(res, 200, 'the cancel');
      on(res, (b) => {
        expect(b.data.status).toBe('cancelled');
        expect(b.data.cancellation_reason).toBe(reason);
        expect(
          b.data.parcels.map((p) => p.status),
          'every parcel is cancelled',
        ).toEqual(['cancelled', 'cancelled']);
      });
      expect([read.status, read.cancellation_reason, ...read.parcels.map((p) => p.status)], 'read back').toEqual([
        'cancelled',
        reason,
        'cancelled',
        'cancelled',
      ]);
    });
  },
});

rule({
  id: 'CAN-IDEMPOTENT',
  level: 'MUST',
  operations: ['cancelOrder', 'listChanges'],
  tags: ['cancel', 'feed'],
  title:
    'Cancelling an already-cancelled order is accepted again; designed: 200 with the cancelled order, by either reference, with or without a body, adding nothing to the status pool.',
  source: seed(S001, 'Idempotent for an already-cancelled order.'),
  fault: async (req, ctx) => {
    const done = kept(ctx, 'cancelled', () => new Set<string>());
    const ref = decodeURIComponent(req.path.split('/')[4] ?? '');
    if (at.cancelOrder(req) && done.has(ref)) return json(409, { message: 'The order is already cancelled.' });
    const res = await ctx.upstream(req);
    if (at.cancelOrder(req) && res.status === 200) {
      done.add(res.json.data.order_id);
      done.add(res.json.data.external_parent_id);
    }
    return res;
  },
  check: async (t) => {
    const since = await mark(t);
    const order = await created(t, homeOrder(t, { parcels: [parcel(t), parcel(t)] }));
    await cancelled(t, order);
    await feedOf(t, since, [order.tracking], eachParcelHas(order, 'cancelled'));
    const again = await cancelOrder(t, order.tracking, { reason: 'again' });
    on(again, () =>
      expect(again.status >= 200 && again.status < 300, `cancelling again is accepted (2xx), got ${again.status}`).toBe(
        true,
      ),
    );
    t.designed(READ_BACK, () => {
      expectStatus(again, 200, 'cancelling again');
      on(again, (b) => expect(b.data.status).toBe('cancelled'));
    });
    const bare = await cancelOrder(t, order.orderId, null);
    t.designed(READ_BACK, () => expectStatus(bare, 200, 'and again, by order_id, without a body'));
    const entries = await feedOf(t, since, [order.tracking]);
    t.designed(CHANGE_ENTRY, () => {
      for (const p of order.parcels)
        expect(
          count(entries, 'cancelled', p.parcel_id),
          `one cancelled entry for ${p.parcel_id}; feed: ${describeFeed(entries)}`,
        ).toBe(1);
    });
  },
});

rule({
  id: 'CAN-409-PAST-FIRST-STEP',
  level: 'MUST',
  operations: ['cancelOrder'],
  tags: ['cancel', 'lifecycle'],
  title: 'Once any parcel moved past the first step, cancel is 409 and changes nothing.',
  source: seed(S001, 'Once any parcel has advanced past the first step the cancel is rejected 409.'),
  hooks: ['advanceParcel'],
  fault: noConflict(at.cancelOrder, currentOrder),
  check: async (t) => {
    t.needHook('advanceParcel');
    const order = await created(t, homeOrder(t, { parcels: [parcel(t), parcel(t)] }));
    await advance(t, order, order.parcels[1]!.parcel_id);
    expectError(t, await cancelOrder(t, order.orderId), 409, undefined, 'one of two parcels moved');
    const read = await readOrder(t, order.tracking);
    expect([read.status, ...read.parcels.map((p) => p.status)], 'nothing changed').not.toContain('cancelled');
  },
});

rule({
  id: 'CAN-422-INVALID',
  level: 'MUST',
  operations: ['cancelOrder'],
  tags: ['cancel', 'validation'],
  title: `A reason of ${REASON_MAX} characters is accepted; one over ${REASON_MAX} characters or an unknown field is 422 naming it, and changes nothing.`,
  source: designed('Bounded reason.', `${CANCEL}/responses/422`, 'D14'),
  fault: request(at.cancelOrder, (req) => {
    if (typeof req.json?.reason === 'string') req.json.reason = req.json.reason.slice(0, REASON_MAX);
    if (req.json) for (const k of Object.keys(req.json)) if (k !== 'reason') delete req.json[k];
  }),
  check: async (t) => {
    const [order, other] = await Promise.all([created(t, homeOrder(t)), created(t, homeOrder(t))]);
    expectError(
      t,
      await cancelOrder(t, order.orderId, { reason: 'x'.repeat(REASON_MAX + 1) }),
      422,
      'reason',
      `a reason over ${REASON_MAX} characters`,
    );
    expectError(
      t,
      await cancelOrder(t, order.orderId, { reason: 'ok', refund: true }),
      422,
      'refund',
      'an undefined field',
    );
    expect((await readOrder(t, order.tracking)).status, 'nothing changed').toBe('created');
    expectStatus(
      await cancelled(t, other, { reason: 'x'.repeat(REASON_MAX) }),
      200,
      `a reason of ${REASON_MAX} characters`,
    );
  },
});

rule({
  id: 'CAN-BODY-OPTIONAL',
  level: 'SHOULD',
  operations: ['cancelOrder'],
  tags: ['cancel'],
  title: 'A cancel without a body is accepted.',
  source: designed('The body is optional.', `${CANCEL}/description`),
  fault: answer(
    (r) => at.cancelOrder(r) && !r.body.length,
    () => json(415, { message: 'Send the body as application/json.' }),
  ),
  check: async (t) => {
    const order = await created(t, homeOrder(t));
    const res = await cancelOrder(t, order.tracking, null);
    expectStatus(res, 200, 'a cancel without a body');
    order.settled = true;
    on(res, (b) => expect(b.data.status).toBe('cancelled'));
  },
});
