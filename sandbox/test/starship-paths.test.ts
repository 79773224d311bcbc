// Every Starship path end to end against the sandbox: the walk equals the model's path, the webhooks a receiver gets
// are the model's, in order and valid, and vouchers sit only where the model says.
import { describe, expect, test } from 'vitest';
import { lifecycle, type PathStep, statusInfo } from '../../client/src/starship.ts';
import { starshipOf } from '../src/starship/state.ts';
import {
  BULK_CAP,
  checkWebhookPayload,
  control,
  IN_STOCK,
  LINK,
  logOf,
  OUT_OF_STOCK,
  PARTIAL,
  PARTIAL_STOCK,
  placed,
  read,
  settled,
  withReceiver,
} from './starship-support.ts';

const ctx = withReceiver();

interface Item {
  id: string;
  status: string;
  voucher: { code: string; url: string | null } | null;
}
interface Order {
  id: string;
  status: string;
  sub_status: string;
  items: Item[];
}

/**
 * The model's rule on items: allowed and required item statuses per order status, a voucher exactly on DELIVERED units.
 */
function checkVouchers(order: Order): void {
  const info = statusInfo(order.status as never)!;
  for (const item of order.items) {
    expect(info.items.allowed, `${order.status} holding ${item.status}`).toContain(item.status);
    expect(item.voucher !== null, `${item.id} (${item.status}) voucher`).toBe(item.status === 'DELIVERED');
  }
  for (const required of info.items.required) expect(order.items.map((i) => i.status)).toContain(required);
}

/** The walk of a sequence of the model's path outcomes: each outcome starts where the previous ended. */
function modelWalk(outcomes: [string, string][]): PathStep[] {
  const steps: PathStep[] = [];
  for (const [pathId, name] of outcomes) {
    const outcome = lifecycle.paths.find((p) => p.id === pathId)?.outcomes.find((o) => o.name === name);
    if (!outcome) throw new Error(`no outcome "${name}" of path ${pathId} in the model`);
    const [first, ...rest] = outcome.steps;
    const previous = steps.at(-1) ?? { status: 'PLACED', sub_status: 'INITIAL' };
    expect({ status: first!.status, sub_status: first!.sub_status }).toEqual({
      status: previous.status,
      sub_status: previous.sub_status,
    });
    steps.push(...rest);
  }
  return steps;
}

type Action =
  | ['escalate', { outcome: 'vouchers' | 'failure' }]
  | ['settle', { outcome: 'fulfilled' | 'refunded' }]
  | ['cancel', { refund: 'succeeds' | 'fails' }];

const cases: [
  string,
  { sku: string; quantity: number; actions: Action[] },
  { walk: [string, string][]; items: string[] },
][] = [
  [
    'path 1: in stock, delivered within the request',
    { sku: IN_STOCK, quantity: 2, actions: [] },
    { walk: [['1', 'Delivered']], items: ['DELIVERED', 'DELIVERED'] },
  ],
  [
    'path 2: out of stock, the vendor returns vouchers',
    { sku: OUT_OF_STOCK, quantity: 2, actions: [['escalate', { outcome: 'vouchers' }]] },
    { walk: [['2', 'Vendor returns vouchers']], items: ['DELIVERED', 'DELIVERED'] },
  ],
  [
    'path 2: out of stock, the vendor fails and the wallet is refunded',
    { sku: OUT_OF_STOCK, quantity: 1, actions: [['escalate', { outcome: 'failure' }]] },
    { walk: [['2', 'Vendor fails']], items: ['CANCELLED'] },
  ],
  [
    'path 3: partial stock, the remaining units are fulfilled',
    { sku: PARTIAL, quantity: PARTIAL_STOCK + 1, actions: [['settle', { outcome: 'fulfilled' }]] },
    { walk: [['3', 'Remaining units fulfilled']], items: Array(PARTIAL_STOCK + 1).fill('DELIVERED') },
  ],
  [
    'path 3: partial stock, the remaining units are refunded and the delivered ones kept (S5)',
    { sku: PARTIAL, quantity: PARTIAL_STOCK + 2, actions: [['settle', { outcome: 'refunded' }]] },
    {
      walk: [['3', 'Remaining units refunded']],
      items: [...Array(PARTIAL_STOCK).fill('DELIVERED'), 'CANCELLED', 'CANCELLED'],
    },
  ],
  [
    'late cancellation after path 1, the refund succeeds',
    { sku: IN_STOCK, quantity: 2, actions: [['cancel', { refund: 'succeeds' }]] },
    {
      walk: [
        ['1', 'Delivered'],
        ['refund', 'Wallet credited back'],
      ],
      items: ['CANCELLED', 'CANCELLED'],
    },
  ],
  [
    'late cancellation after path 2, the refund fails',
    {
      sku: OUT_OF_STOCK,
      quantity: 1,
      actions: [
        ['escalate', { outcome: 'vouchers' }],
        ['cancel', { refund: 'fails' }],
      ],
    },
    {
      walk: [
        ['2', 'Vendor returns vouchers'],
        ['refund', 'Refund fails'],
      ],
      items: ['CANCELLED'],
    },
  ],
];

describe.each(cases)('%s', (_name, given, want) => {
  test("walks the model's path; every response, webhook and GET agrees with it", async () => {
    const seen: Order[] = [];
    const created = await placed(ctx.h, { sku: given.sku, quantity: given.quantity, reference: `ref-${given.sku}` });
    const id: string = created.body.id;
    expect(created.headers.get('location')).toBe(`/starship/v1/orders/${id}`);
    expect(created.body.reference).toBe(`ref-${given.sku}`);
    expect(created.body.items).toHaveLength(given.quantity);
    seen.push(created.body);
    const stepsAtCreation = starshipOf(ctx.h.state).history.get(id)!.length;
    const reported = [];
    for (const [action, json] of given.actions) {
      const before: Order = (await read(ctx.h, id)).body;
      const got = await control(ctx.h, id, action, json);
      expect(got.status, JSON.stringify(got.body)).toBe(200);
      seen.push(got.body.data.order);
      reported.push(...got.body.data.transitions);
      // A voucher once handed out never changes while its unit stays delivered.
      for (const item of got.body.data.order.items as Item[]) {
        const was = before.items.find((i) => i.id === item.id)!;
        if (was.status === 'DELIVERED' && item.status === 'DELIVERED') expect(item.voucher).toEqual(was.voucher);
      }
    }
    const final = await read(ctx.h, id);
    expect(final.status).toBe(200);
    seen.push(final.body);

    const walk = modelWalk(want.walk);
    const history = starshipOf(ctx.h.state).history.get(id)!;
    expect(history.map(({ status, sub_status, webhook }) => ({ status, sub_status, webhook }))).toEqual(
      walk.map(({ status, sub_status, webhook }) => ({ status, sub_status, webhook: webhook ?? null })),
    );
    // What the controls reported is exactly the part of that walk they made, with the model's transition ids.
    expect(reported).toEqual(history.slice(stepsAtCreation));
    for (const step of history)
      expect(lifecycle.transitions.find((t) => t.id === step.transition)?.webhook).toBe(step.webhook);

    const last = walk.at(-1)!;
    expect({ status: final.body.status, sub_status: final.body.sub_status }).toEqual({
      status: last.status,
      sub_status: last.sub_status,
    });
    expect(final.body.items.map((i: Item) => i.status)).toEqual(want.items);
    expect(final.body.items.map((i: Item) => i.id)).toEqual(created.body.items.map((i: Item) => i.id));

    await settled(ctx.h);
    const bodies = ctx.receiver.of(id);
    const fired = walk.filter((s) => s.webhook);
    expect(bodies.map((b) => b.type)).toEqual(fired.map((s) => s.webhook));
    bodies.forEach((body, n) => {
      checkWebhookPayload(body);
      expect({ status: body.order.status, sub_status: body.order.sub_status }).toEqual({
        status: fired[n]!.status,
        sub_status: fired[n]!.sub_status,
      });
      seen.push(body.order);
    });
    expect(new Set(bodies.map((b) => b.event_id)).size).toBe(bodies.length);
    const log = await logOf(ctx.h, id);
    expect(log.map((e) => [e.event_id, e.status, e.response_status, e.url])).toEqual(
      bodies.map((b) => [b.event_id, 'delivered', 204, ctx.receiver.url]),
    );
    expect(log.map((e) => e.payload)).toEqual(bodies);
    for (const order of seen) checkVouchers(order);
  });
});

describe('the bulk cap (decision S8)', () => {
  test.each([
    ['at the cap', BULK_CAP, 'DELIVERED', 'COMPLETED', ['order.delivered']],
    ['one over the cap', BULK_CAP + 1, 'CANCELLED', 'BULK_LIMIT_EXCEEDED', ['order.cancelled']],
  ])('%s (%i units) -> 201 %s · %s', async (_name, quantity, status, subStatus, webhooks) => {
    const got = await placed(ctx.h, { sku: IN_STOCK, quantity });
    expect({ status: got.body.status, sub_status: got.body.sub_status }).toEqual({ status, sub_status: subStatus });
    expect(got.body.items).toHaveLength(quantity);
    checkVouchers(got.body);
    const history = starshipOf(ctx.h.state).history.get(got.body.id)!;
    if (status === 'CANCELLED') expect(history.map((s) => s.transition)).toEqual(['placed-bulk-limit']);
    expect(history.at(-1)!.webhook).toBe(
      lifecycle.transitions.find((t) => t.id === history.at(-1)!.transition)!.webhook,
    );
    await settled(ctx.h);
    const bodies = ctx.receiver.of(got.body.id);
    expect(bodies.map((b) => b.type)).toEqual(webhooks);
    bodies.forEach(checkWebhookPayload);
  });

  test('the cap applies before stock: an out-of-stock product over the cap is cancelled, not pending', async () => {
    const got = await placed(ctx.h, { sku: OUT_OF_STOCK, quantity: BULK_CAP + 1 });
    expect(got.body.sub_status).toBe('BULK_LIMIT_EXCEEDED');
  });
});

test('a link product delivers each unit with its gift-voucher link', async () => {
  const got = await placed(ctx.h, { sku: LINK, quantity: 2 });
  expect(got.body.status).toBe('DELIVERED');
  for (const item of got.body.items as Item[]) expect(item.voucher?.url).toMatch(/^https:\/\/.+\/claim\/.+/);
  expect(new Set(got.body.items.map((i: Item) => i.voucher!.code)).size).toBe(2);
});

test('GET shows a partial order unit by unit: the first units delivered with vouchers, the rest pending', async () => {
  const created = await placed(ctx.h, { sku: PARTIAL, quantity: PARTIAL_STOCK + 3 });
  const got = await read(ctx.h, created.body.id);
  expect(got.body).toEqual(created.body);
  expect(got.body.status).toBe('PARTIALLY_DELIVERED');
  expect(got.body.items.map((i: Item) => [i.status, i.voucher === null])).toEqual([
    ...Array(PARTIAL_STOCK).fill(['DELIVERED', false]),
    ...Array(3).fill(['PENDING', true]),
  ]);
  expect(got.body.items.map((i: Item) => i.id)).toEqual(
    Array.from({ length: PARTIAL_STOCK + 3 }, (_, n) => `itm_${created.body.id.slice(4)}_${n + 1}`),
  );
});
