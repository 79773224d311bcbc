// The Starship part of the sandbox's in-memory state: accounts, products and orders from the fixtures, the paths an
// order takes, and the webhooks each step fires.
import { randomBytes } from 'node:crypto';
import { toFieldErrors, validatorAt } from '../../../contract/index.ts';
import type { Trigger } from '../../../contract/lifecycle.ts';
import type {
  StarshipAccount,
  StarshipFixtures,
  StarshipProduct,
  StarshipTransitionStep,
} from '../../../contract/sandbox-admin.ts';
import type { CreateOrderRequest, Order, OrderItem } from '../../../contract/starship-rewards.ts';
import type { SandboxState } from '../store.ts';
import { checkItems, move, type Target } from './lifecycle.ts';
import { DEFAULT_WEBHOOK_TIMEOUT_MS, randomId, WebhookSender } from './webhooks.ts';

export interface StarshipOptions {
  webhookUrl?: string | null;
  webhookTimeoutMs?: number;
}

export interface Held {
  /** The api_key of the account that placed it: another account's key reads it as unknown. */
  owner: string;
  order: Order;
  /**
   * Set on an order cancelled over the bulk cap (decision SS8): it has this many units, all
   * CANCELLED without a voucher, and `order.items` holds only the first; the rest are rebuilt
   * when it is read, so a 39-byte request for 10,000 units keeps no 10,000 items.
   */
  units?: number;
}

const itemId = (orderId: string, n: number) => `itm_${orderId.slice(4)}_${n}`;

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const group = () => [...randomBytes(4)].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');

/** Throws unless `url` is what the webhook-target control accepts (http or https). */
export function checkWebhookUrl(url: string | null, where = 'url'): void {
  const validate = validatorAt('sandbox-admin', 'components', 'schemas', 'StarshipWebhookTarget');
  if (!validate({ url }))
    throw new Error(`${where} must be an http(s) URL: ${JSON.stringify(toFieldErrors(validate.errors))}`);
}

export class StarshipState {
  readonly accounts = new Map<string, StarshipAccount>();
  readonly products = new Map<string, StarshipProduct>();
  readonly orders = new Map<string, Held>();
  /** Every step each order walked since PLACED · INITIAL, so tests can compare it with the model's paths. */
  readonly history = new Map<string, StarshipTransitionStep[]>();
  readonly webhooks: WebhookSender;

  constructor(
    readonly fixtures: StarshipFixtures,
    options: StarshipOptions = {},
    readonly now: () => number = Date.now,
  ) {
    for (const a of fixtures.accounts) {
      if (this.accounts.has(a.api_key)) throw new Error(`starship fixtures: duplicate api_key ${a.api_key}`);
      this.accounts.set(a.api_key, a);
    }
    for (const p of fixtures.products) {
      if (this.products.has(p.sku)) throw new Error(`starship fixtures: duplicate sku ${p.sku}`);
      this.products.set(p.sku, p);
    }
    const url = options.webhookUrl ?? null;
    checkWebhookUrl(url, 'the Starship webhook URL');
    this.webhooks = new WebhookSender(url, options.webhookTimeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS, now);
  }

  private lastStamp = 0;
  /**
   * Now as RFC 3339, never earlier than a timestamp already handed out, so updated_at only grows; and later than
   * `after` when given, so a status change within the millisecond of the last one still moves status_changed_at.
   */
  timestamp(after?: string): string {
    this.lastStamp = Math.max(this.lastStamp, this.now(), after === undefined ? 0 : Date.parse(after) + 1);
    return new Date(this.lastStamp).toISOString();
  }

  /** The order as the API shows it: every unit, also of one held without them. */
  view(held: Held): Order {
    if (held.units === undefined) return held.order;
    const unit = held.order.items[0]!;
    return {
      ...held.order,
      items: Array.from({ length: held.units }, (_, i) => ({ ...unit, id: itemId(held.order.id, i + 1) })),
    };
  }

  /**
   * One model-checked move of a held order; the webhook the model names for it fires with the order as it now stands,
   * signed for its account.
   */
  step(
    order: Order,
    to: Target,
    expected: string,
    by: Trigger,
    items?: (current: OrderItem[]) => OrderItem[],
  ): StarshipTransitionStep {
    const held = this.orders.get(order.id);
    if (!held || held.order !== order) throw new Error(`sandbox bug: order ${order.id} moved while not held`);
    const now = this.timestamp(to.status !== order.status ? order.status_changed_at : undefined);
    const done = move(order, to, expected, by, now, items);
    const walked = this.history.get(order.id);
    if (walked) walked.push(done);
    else this.history.set(order.id, [done]);
    if (done.webhook)
      this.webhooks.fire(done.webhook, this.view(held), now, this.accounts.get(held.owner)!.webhook_secrets);
    return done;
  }

  private voucher(product: StarshipProduct): NonNullable<OrderItem['voucher']> {
    const code = `${product.sku.split('-')[0]!.slice(0, 8)}-${group()}-${group()}-${group()}`;
    return { code, url: product.delivery === 'link' ? `https://rewards.example.net/claim/${code}` : null };
  }

  private deliver(product: StarshipProduct, item: OrderItem): OrderItem {
    return { ...item, status: 'DELIVERED', voucher: this.voucher(product) };
  }

  /**
   * Places an order and runs the pipeline to where it stops (decision SS2): over the bulk cap it is
   * cancelled; within stock it is delivered (path 1); without stock it waits (path 2); with stock for
   * part of it, that part is delivered (path 3).
   */
  createOrder(account: StarshipAccount, product: StarshipProduct, body: CreateOrderRequest): Order {
    const now = this.timestamp();
    const id = randomId('ord');
    // Decided before a unit is built (SS8): over the cap every unit is the same but for its id, so one stands for all.
    const overCap = body.quantity > account.bulk_cap;
    const order: Order = {
      id,
      reference: body.reference ?? null,
      sku: product.sku,
      status: 'PLACED',
      sub_status: 'INITIAL',
      items: Array.from({ length: overCap ? 1 : body.quantity }, (_, i) => ({
        id: itemId(id, i + 1),
        status: 'PENDING',
        voucher: null,
      })),
      created_at: now,
      updated_at: now,
      status_changed_at: now,
    };
    checkItems(order.status, order.items);
    const held: Held = { owner: account.api_key, order, ...(overCap ? { units: body.quantity } : {}) };
    this.orders.set(id, held);
    try {
      this.run(held, product, body.quantity);
    } catch (error) {
      // A move the model refuses is a sandbox bug: the order it was placing is not kept.
      this.orders.delete(id);
      this.history.delete(id);
      throw error;
    }
    return this.view(held);
  }

  private run({ order, units }: Held, product: StarshipProduct, quantity: number): void {
    if (units !== undefined) {
      this.step(
        order,
        { status: 'CANCELLED', sub_status: 'BULK_LIMIT_EXCEEDED' },
        'placed-bulk-limit',
        'starship',
        (items) => items.map((i) => ({ ...i, status: 'CANCELLED' })),
      );
    } else if (product.stock >= quantity) {
      this.step(order, { status: 'PENDING', sub_status: 'INVENTORY_FULFILLED' }, 'placed-inventory-hit', 'starship');
      this.step(order, { status: 'DELIVERED', sub_status: 'COMPLETED' }, 'instant-finalize', 'starship', (items) =>
        items.map((i) => this.deliver(product, i)),
      );
    } else if (product.stock === 0) {
      this.step(order, { status: 'PENDING', sub_status: 'VENDOR_ORDER_PENDING' }, 'placed-inventory-miss', 'starship');
    } else {
      this.step(order, { status: 'PENDING', sub_status: 'PROCESSING' }, 'placed-pending', 'starship');
      this.step(
        order,
        { status: 'PARTIALLY_DELIVERED', sub_status: 'PARTIAL' },
        'pending-partial',
        'inventory_pump',
        (items) => items.map((i, n) => (n < product.stock ? this.deliver(product, i) : i)),
      );
    }
  }

  /**
   * The order with this id if `owner` placed it (any account's when owner is undefined: the
   * operator). One held without its units comes back rebuilt: a copy, which is never moved again
   * (CANCELLED has no exit).
   */
  find(id: string, owner?: string): Order | undefined {
    const held = this.orders.get(id);
    return held && (owner === undefined || held.owner === owner) ? this.view(held) : undefined;
  }

  private productOf(order: Order): StarshipProduct {
    const product = this.products.get(order.sku);
    if (!product) throw new Error(`sandbox bug: order ${order.id} has an unknown sku ${order.sku}`);
    return product;
  }

  /** Path 2: the admin retries the vendor, which returns vouchers or fails. */
  escalate(order: Order, outcome: 'vouchers' | 'failure'): StarshipTransitionStep[] {
    if (outcome === 'vouchers') {
      const product = this.productOf(order);
      return [
        this.step(
          order,
          { status: 'PENDING', sub_status: 'VENDOR_VOUCHER_FETCHED' },
          'admin-vendor-retry-succeeds',
          'admin',
        ),
        this.step(order, { status: 'DELIVERED', sub_status: 'COMPLETED' }, 'vendor-finalize', 'starship', (items) =>
          items.map((i) => this.deliver(product, i)),
        ),
      ];
    }
    return [
      this.step(order, { status: 'PENDING', sub_status: 'VENDOR_ORDER_FAILED' }, 'admin-vendor-retry-fails', 'admin'),
      this.step(order, { status: 'CANCELLED', sub_status: 'REFUNDED' }, 'vendor-failed-cancel', 'admin', (items) =>
        items.map((i) => ({ ...i, status: 'CANCELLED' })),
      ),
    ];
  }

  /**
   * Path 3 converges: the remaining units are fulfilled, or refunded while the delivered ones keep their vouchers (S5).
   */
  settle(order: Order, outcome: 'fulfilled' | 'refunded'): StarshipTransitionStep[] {
    if (outcome === 'fulfilled') {
      const product = this.productOf(order);
      return [
        this.step(order, { status: 'DELIVERED', sub_status: 'COMPLETED' }, 'partial-complete', 'admin', (items) =>
          items.map((i) => (i.status === 'PENDING' ? this.deliver(product, i) : i)),
        ),
      ];
    }
    return [
      this.step(order, { status: 'CANCELLED', sub_status: 'REFUNDED' }, 'partial-cancel', 'admin', (items) =>
        items.map((i) => (i.status === 'PENDING' ? { ...i, status: 'CANCELLED' } : i)),
      ),
    ];
  }

  /** The refund section: an admin cancels a delivered order; every voucher is recalled. */
  cancelLate(order: Order, refund: 'succeeds' | 'fails'): StarshipTransitionStep[] {
    return [
      this.step(
        order,
        { status: 'CANCELLED', sub_status: refund === 'succeeds' ? 'REFUNDED' : 'NOT_REFUNDED' },
        'late-cancel',
        'admin',
        (items) => items.map((i) => ({ ...i, status: 'CANCELLED', voucher: null })),
      ),
    ];
  }

  close(): Promise<void> {
    return this.webhooks.close();
  }
}

// Kept beside the Starmile state rather than inside it, so the Starmile store does not know Starship exists.
const attached = new WeakMap<SandboxState, StarshipState>();

/** Gives a sandbox its Starship state (startSandbox does, with its options). */
export function attachStarship(state: SandboxState, options: StarshipOptions = {}): StarshipState {
  const starship = new StarshipState(state.fixtures.starship, options, state.now);
  attached.set(state, starship);
  return starship;
}

/** The Starship state of a sandbox; one made without options when the sandbox was built without startSandbox. */
export function starshipOf(state: SandboxState): StarshipState {
  return attached.get(state) ?? attachStarship(state);
}
