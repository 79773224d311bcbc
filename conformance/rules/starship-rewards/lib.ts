// Starship helpers for the checks: the scenarios that drive each lifecycle path once per run, the webhook log, and the
// model checks (walks, vouchers, webhooks) on the suite's own reading of the lifecycle model.
import type { Order, OrderEvent } from '../../../contract/starship-rewards.ts';
import type { HookName } from '../../registry/types.ts';
import type { RuleContext } from '../../src/context.ts';
import { expect } from '../../src/expect.ts';
import type { Exchange, Res } from '../../src/http.ts';
import {
  isKnownSubStatus,
  outcomeSteps,
  type PathStep,
  type State,
  statusOf,
  transition,
  walkLength,
} from './model.ts';

export { announces } from './model.ts';

// ---- calls ------------------------------------------------------------------------------------

const auth = (t: RuleContext) => ({ Authorization: `Bearer ${t.profile.starship!.apiKey}` });

export const createOrder = (t: RuleContext, body: unknown) =>
  t.http.request<Order>({ path: '/orders', json: body, headers: auth(t) });
export const getOrder = (t: RuleContext, id: string) =>
  t.http.request<Order>({ path: `/orders/${encodeURIComponent(id)}`, headers: auth(t) });

/** Runs assertions; a failure carries the exchange it is about into the report. */
export function about(exchange: Exchange | undefined, assertions: () => void): void {
  try {
    assertions();
  } catch (error) {
    if (exchange && error && typeof error === 'object' && !('exchange' in error)) Object.assign(error, { exchange });
    throw error;
  }
}

// ---- scenarios ---------------------------------------------------------------------------------

export type ScenarioName =
  | 'instant'
  | 'atCap'
  | 'bulk'
  | 'pendingVouchers'
  | 'pendingFailure'
  | 'partial'
  | 'partialFulfilled'
  | 'partialRefunded'
  | 'lateRefunded'
  | 'lateNotRefunded';

interface ScenarioSpec {
  product: 'instant' | 'pending' | 'partial';
  /** Units ordered; default 2 (so "every unit" means more than one). */
  quantity?: (cap: number, partial: number) => number;
  /** The operator action that drives the order on after its creation, with its placeholders. */
  drive?: { hook: HookName; vars: Record<string, string> };
  /** The model's walk this scenario follows, from PLACED to its end. */
  steps: () => PathStep[];
}

const outcome = outcomeSteps;

/** The bulk cap is a transition, not a drawn path: PLACED · INITIAL, then its arrival. */
function bulkSteps(): PathStep[] {
  const t = transition('placed-bulk-limit');
  if (!t.to.sub_statuses?.[0])
    throw new Error('the placed-bulk-limit transition of the lifecycle model names no sub-status');
  return [
    { status: 'PLACED', sub_status: 'INITIAL' },
    { status: t.to.status, sub_status: t.to.sub_statuses[0], webhook: t.webhook },
  ];
}

/** Path 1, then the refund outcome (whose first step is path 1's end). */
const lateSteps = (subStatus: string) => () => [
  ...outcome('1', 'DELIVERED', 'COMPLETED'),
  ...outcome('refund', 'CANCELLED', subStatus).slice(1),
];

export const SCENARIOS: Record<ScenarioName, ScenarioSpec> = {
  instant: { product: 'instant', steps: () => outcome('1', 'DELIVERED', 'COMPLETED') },
  atCap: { product: 'instant', quantity: (cap) => cap, steps: () => outcome('1', 'DELIVERED', 'COMPLETED') },
  bulk: { product: 'instant', quantity: (cap) => cap + 1, steps: bulkSteps },
  pendingVouchers: {
    product: 'pending',
    drive: { hook: 'starshipEscalate', vars: { outcome: 'vouchers' } },
    steps: () => outcome('2', 'DELIVERED', 'COMPLETED'),
  },
  pendingFailure: {
    product: 'pending',
    drive: { hook: 'starshipEscalate', vars: { outcome: 'failure' } },
    steps: () => outcome('2', 'CANCELLED', 'REFUNDED'),
  },
  partial: { product: 'partial', steps: () => outcome('3', 'DELIVERED', 'COMPLETED').slice(0, 3) },
  partialFulfilled: {
    product: 'partial',
    drive: { hook: 'starshipSettle', vars: { outcome: 'fulfilled' } },
    steps: () => outcome('3', 'DELIVERED', 'COMPLETED'),
  },
  partialRefunded: {
    product: 'partial',
    drive: { hook: 'starshipSettle', vars: { outcome: 'refunded' } },
    steps: () => outcome('3', 'CANCELLED', 'REFUNDED'),
  },
  lateRefunded: {
    product: 'instant',
    drive: { hook: 'starshipLateCancel', vars: { refund: 'succeeds' } },
    steps: lateSteps('REFUNDED'),
  },
  lateNotRefunded: {
    product: 'instant',
    drive: { hook: 'starshipLateCancel', vars: { refund: 'fails' } },
    steps: lateSteps('NOT_REFUNDED'),
  },
};

/** A webhook as observed through the profile's starshipWebhooks hook. */
export interface Observed {
  payload: OrderEvent;
  exchange: Exchange;
  /** The exact text POSTed, when the hook reports it (the signature rules need it). */
  body?: string;
  /** Its Starship-Signature header, when the hook reports it; null: it had none. */
  signature?: string | null;
  /** The sandbox log's delivery status, when the hook reports it (`not_sent`: never sent). */
  status?: string;
  /** When the suite read it (ms since the epoch). */
  readAt: number;
}

export interface Scenario {
  name: ScenarioName;
  orderId: string;
  /** The create answer, a read right after it, and (when driven) a read after the operator action. */
  reads: Res<Order>[];
  /** Whether the operator action ran (its hook is in the profile). */
  driven: boolean;
  /** The model steps up to the state the scenario was left in (all of them when driven). */
  steps: PathStep[];
  /** The webhooks fired for the order, oldest first; undefined without the starshipWebhooks hook. */
  webhooks?: Observed[];
}

const key = (s: { status: string; sub_status: string }) => `${s.status} · ${s.sub_status}`;

async function drive(t: RuleContext, name: ScenarioName): Promise<Scenario> {
  const spec = SCENARIOS[name];
  const s = t.profile.starship!;
  const sku = spec.product === 'partial' ? s.products.partial.sku : s.products[spec.product];
  const quantity =
    spec.quantity?.(s.bulkCap, s.products.partial.quantity) ??
    (spec.product === 'partial' ? s.products.partial.quantity : 2);
  const created = await createOrder(t, { sku, quantity, reference: t.ref('o') });
  const what = `scenario ${name}: POST /orders of ${quantity} × ${sku}`;
  // Over the bulk cap the documents say only that the order exists, cancelled (S8 designed its answer, 201): here a
  // success is enough, and SHIP-BULK-LIMIT checks the 201 in the contract class.
  about(created.exchange, () =>
    name === 'bulk'
      ? expect(
          created.status >= 200 && created.status < 300,
          `${what}: expected a success, got ${created.status}`,
        ).toBe(true)
      : expect(created.status, what).toBe(201),
  );
  const orderId = created.body.id;
  const reads = [created, await getOrder(t, orderId)];
  const driven = spec.drive !== undefined && t.profile.hooks[spec.drive.hook] !== undefined;
  if (driven) {
    await t.hook(spec.drive!.hook, { order_id: orderId, ...spec.drive!.vars });
    reads.push(await getOrder(t, orderId));
  }
  const all = spec.steps();
  // Undriven, the order stays where its creation left it: the walk so far ends at the last step in that state.
  // A sub-status the model does not know stands where its status is on the path (it is informational).
  const at = (step: PathStep) =>
    step.status === created.body.status &&
    (step.sub_status === created.body.sub_status || !isKnownSubStatus(created.body.sub_status));
  const reached = driven ? all.length - 1 : all.map(at).lastIndexOf(true);
  // Left off the path, nothing beyond PLACED can be expected of it (the path rules report where it went instead).
  const steps = all.slice(0, reached < 0 ? 1 : reached + 1);
  const expected = steps.filter((x) => x.webhook).length;
  const webhooks = t.profile.hooks.starshipWebhooks ? await webhooksOf(t, orderId, expected) : undefined;
  return { name, orderId, reads, driven, steps, ...(webhooks ? { webhooks } : {}) };
}

/** One scenario, driven once per run whichever rule asks first. */
export const scenario = (t: RuleContext, name: ScenarioName): Promise<Scenario> => {
  t.needFixture('starship');
  return t.once(`starship:${name}`, () => drive(t, name));
};

/** Every scenario the profile allows (undriven ones stop after creation). */
export const scenarios = (t: RuleContext): Promise<Scenario[]> =>
  Promise.all((Object.keys(SCENARIOS) as ScenarioName[]).map((n) => scenario(t, n)));

/**
 * One entry of the hook's list: a payload, or an entry carrying it as `payload` (with `body`, `signature`, `status`
 * when it reports them).
 */
function observed(entry: unknown, exchange: Exchange, readAt: number): Observed {
  if (!entry || typeof entry !== 'object' || !('payload' in entry))
    return { payload: entry as OrderEvent, exchange, readAt };
  const e = entry as { payload: OrderEvent; body?: unknown; signature?: unknown; status?: unknown };
  return {
    payload: e.payload,
    exchange,
    readAt,
    ...(typeof e.body === 'string' ? { body: e.body } : {}),
    ...(typeof e.signature === 'string' || e.signature === null ? { signature: e.signature } : {}),
    ...(typeof e.status === 'string' ? { status: e.status } : {}),
  };
}

/**
 * The order's webhooks from the profile's hook, polled until the model's count arrived, none is still waiting to be
 * sent, or the feed timeout passed.
 */
async function webhooksOf(t: RuleContext, orderId: string, atLeast: number): Promise<Observed[]> {
  const deadline = performance.now() + t.profile.timing.feedTimeoutMs;
  for (;;) {
    const res = await t.hook('starshipWebhooks', { order_id: orderId });
    const body = res.body as unknown;
    const list = Array.isArray(body) ? body : (body as { data?: unknown } | undefined)?.data;
    if (!Array.isArray(list))
      throw Object.assign(
        new Error('the starshipWebhooks hook answered no list of webhooks (an array, or {"data": [...]})'),
        { exchange: res.exchange },
      );
    const readAt = Date.now();
    // A hook that ignores order_id lists other orders too; an entry without an order id cannot be told apart and stays
    // in.
    const mine = list
      .map((e) => observed(e, res.exchange, readAt))
      .filter((w) => typeof w.payload?.order?.id !== 'string' || w.payload.order.id === orderId);
    if ((mine.length >= atLeast && !mine.some((w) => w.status === 'pending')) || performance.now() >= deadline)
      return mine;
    await new Promise((r) => setTimeout(r, 50));
  }
}

// ---- the model ---------------------------------------------------------------------------------

export const stateOf = (o: { status: string; sub_status: string }): State => ({
  status: o.status,
  sub_status: o.sub_status,
});
export const describeState = key;

/** Whether a walk of allowed moves leads from one observed state to the next (none when nothing moved). */
export const walk = (from: State, to: State): boolean => walkLength(from, to) !== undefined;

/**
 * What breaks the model's rule for units: item statuses allowed for the order's status, the required ones present, a
 * voucher exactly on DELIVERED units.
 */
export function voucherProblems(order: Order): string[] {
  const info = statusOf(order.status);
  if (!info) return [`${order.status} is not a status of the model`];
  const problems: string[] = [];
  for (const item of order.items ?? []) {
    if (!info.items.allowed.includes(item.status))
      problems.push(
        `${order.status} holds a ${item.status} unit (${item.id}); the model allows ${info.items.allowed.join(', ')}`,
      );
    if ((item.status === 'DELIVERED') !== (item.voucher !== null && item.voucher !== undefined))
      problems.push(`unit ${item.id} is ${item.status} ${item.voucher ? 'with' : 'without'} a voucher`);
  }
  for (const required of info.items.required)
    if (!(order.items ?? []).some((i) => i.status === required))
      problems.push(`${order.status} holds no ${required} unit`);
  return problems;
}

/** The webhook names the model's steps fire, in order. */
export const firedBy = (steps: PathStep[]): string[] => steps.flatMap((s) => (s.webhook ? [s.webhook] : []));

/** Every order the scenario showed: its reads, then its webhooks' orders, each with where it was seen. */
export function observedOrders(sc: Scenario): { order: Order; where: string; exchange: Exchange }[] {
  return [
    ...sc.reads.map((r, i) => ({
      order: r.body,
      where: `${sc.name} read ${i + 1} (${r.exchange.method} ${new URL(r.exchange.url).pathname})`,
      exchange: r.exchange,
    })),
    ...(sc.webhooks ?? []).map((w, i) => ({
      order: w.payload.order,
      where: `${sc.name} webhook ${i + 1} (${String(w.payload.type)})`,
      exchange: w.exchange,
    })),
  ];
}

/**
 * Fails with every problem at once, one a line (an assertion diff would elide them), attaching the exchange of the
 * first.
 */
export function noProblems(problems: { message: string; exchange?: Exchange }[], what: string): void {
  if (!problems.length) return;
  const shown = problems
    .slice(0, 20)
    .map((p) => `\n  - ${p.message}`)
    .join('');
  const more = problems.length > 20 ? `\n  … and ${problems.length - 20} more` : '';
  throw Object.assign(
    new Error(`${problems.length} ${what}:${shown}${more}`),
    problems[0]!.exchange ? { exchange: problems[0]!.exchange } : {},
  );
}
