// The sandbox's in-memory state: orders, parcels, the status pool, tokens, accepted events and region mappings, with
// their indexes.
import { randomBytes } from 'node:crypto';
import type { Credential, Fixtures } from '../../contract/sandbox-admin.ts';
import type {
  Change,
  PackageType,
  ParcelStatus,
  Product,
  RegionStatus,
  Scope,
} from '../../contract/starmile-partner.ts';
import { SANDBOX_BOUNDS } from './limits.ts';

export interface OrderRecord {
  tracking: string;
  partnerId: number;
  warehouseId: number;
  reference: string;
  serviceId: number;
  regionStatus: RegionStatus;
  parentRegion: string | null;
  region: string | null;
  starmileRegionId: number | null;
  pudoId: number | null;
  shippingCost: number | null;
  consolidation: boolean;
  cancelled: boolean;
  cancellationReason: string | null;
  /** Recipient and address fields: kept as sent; the contract's read-back does not return them. */
  recipient: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  parcels: ParcelRecord[];
}

export interface ParcelRecord {
  parcelId: string;
  itemId: string | null;
  merchantTracking: string;
  status: ParcelStatus;
  packageType: PackageType | null;
  weightGrams: number | null;
  lengthMm: number | null;
  widthMm: number | null;
  heightMm: number | null;
  products: Product[];
  measured: { weight_grams: number; length_mm?: number; width_mm?: number; height_mm?: number } | null;
  updatedAt: string;
  order: OrderRecord;
}

export interface FeedEntry {
  seq: number;
  partnerId: number;
  warehouseId: number;
  change: Change;
}

export interface TokenRecord {
  clientId: string;
  credential: Credential;
  scopes: Set<Scope>;
  expiresAt: number;
}

export interface AcceptedEvent {
  canonical: string;
  type: string;
  parcels: { parcel_id: string; status: ParcelStatus }[];
}

/** One partner account's references: each kind is its own namespace (decision D5). */
export class PartnerBook {
  readonly orders = new Map<string, OrderRecord>();
  readonly items = new Map<string, ParcelRecord>();
  readonly merchant = new Map<string, ParcelRecord>();
  readonly events = new Map<string, AcceptedEvent>();
  readonly regions = new Map<string, number>();
}

/**
 * Live tokens one client may hold (decision SB16, the sandbox-admin spec's `x-sandbox-bounds`): issuing one more
 * revokes its oldest.
 */

export const regionKey = (parentRegion: string, region: string) => JSON.stringify([parentRegion, region]);
export const tenantKey = (partnerId: number, warehouseId: number) => `${partnerId}:${warehouseId}`;

export class SandboxState {
  readonly books = new Map<number, PartnerBook>();
  readonly ordersByTracking = new Map<string, OrderRecord>();
  readonly parcelsById = new Map<string, ParcelRecord>();
  readonly feed: FeedEntry[] = [];
  readonly feedByTenant = new Map<string, FeedEntry[]>();
  readonly tokens = new Map<string, TokenRecord>();
  /** Each client's tokens, oldest first (some may have been expired or revoked since). */
  private readonly tokensByClient = new Map<string, string[]>();
  readonly credentials = new Map<string, Credential>();
  /** Signs status-pool cursors; new per process, so a cursor from an earlier run is refused. */
  readonly cursorSecret = randomBytes(32);
  private orderCounter = 0;
  private parcelCounter = 0;
  private feedCounter = 0;

  constructor(
    readonly fixtures: Fixtures,
    readonly tokenTtlSeconds: number,
    readonly now: () => number = Date.now,
  ) {
    for (const c of fixtures.credentials) this.credentials.set(c.client_id, c);
    for (const p of fixtures.partners) this.books.set(p.partner_id, new PartnerBook());
    for (const m of fixtures.region_mappings)
      this.book(m.partner_id).regions.set(regionKey(m.parent_region, m.region), m.starmile_region_id);
  }

  book(partnerId: number): PartnerBook {
    let book = this.books.get(partnerId);
    if (!book) {
      book = new PartnerBook();
      this.books.set(partnerId, book);
    }
    return book;
  }

  private lastMillis = -1;
  private lastStamp = '';
  /** Now as RFC 3339; the string is reused within one millisecond, as every create asks for it. */
  timestamp(): string {
    const millis = this.now();
    if (millis !== this.lastMillis) {
      this.lastMillis = millis;
      this.lastStamp = new Date(millis).toISOString();
    }
    return this.lastStamp;
  }

  nextOrderTracking(): string {
    return `SM${String(++this.orderCounter).padStart(10, '0')}`;
  }

  /**
   * A parcel tracking number that is not already one of the partner's sticker codes, so the auto-filled
   * merchant_tracking stays unique.
   */
  /**
   * Stores a new order and its parcels in every index (the partner's references and stickers, the parcel and tracking
   * lookups) and gives each parcel its `created` entry in the status pool: createOrder and the bulk-load store alike.
   */
  storeOrder(book: PartnerBook, order: OrderRecord): void {
    for (const parcel of order.parcels) {
      this.parcelsById.set(parcel.parcelId, parcel);
      if (parcel.itemId !== null) book.items.set(parcel.itemId, parcel);
      book.merchant.set(parcel.merchantTracking, parcel);
    }
    book.orders.set(order.reference, order);
    this.ordersByTracking.set(order.tracking, order);
    for (const parcel of order.parcels) this.record('created', parcel, null, order.createdAt);
  }

  nextParcelId(book: PartnerBook, taken: ReadonlySet<string>): string {
    for (;;) {
      const id = `SP${String(++this.parcelCounter).padStart(10, '0')}`;
      if (!book.merchant.has(id) && !taken.has(id)) return id;
    }
  }

  /**
   * Stores a new token; the client's expired ones are dropped and, past SANDBOX_BOUNDS.tokensPerClient live ones, its oldest is
   * revoked.
   */
  addToken(token: string, record: TokenRecord): void {
    const now = this.now();
    const live = (this.tokensByClient.get(record.clientId) ?? []).filter((t) => {
      const held = this.tokens.get(t);
      if (held && held.expiresAt > now) return true;
      this.tokens.delete(t);
      return false;
    });
    while (live.length >= SANDBOX_BOUNDS.tokensPerClient) this.tokens.delete(live.shift()!);
    live.push(token);
    this.tokens.set(token, record);
    this.tokensByClient.set(record.clientId, live);
  }

  /** Appends one entry to the status pool; `previous` is null only for `created`. */
  record(type: Change['type'], parcel: ParcelRecord, previous: ParcelStatus | null, at: string): void {
    const order = parcel.order;
    const seq = ++this.feedCounter;
    const entry: FeedEntry = {
      seq,
      partnerId: order.partnerId,
      warehouseId: order.warehouseId,
      change: {
        id: `chg_${String(seq).padStart(12, '0')}`,
        type,
        tracking_number: order.tracking,
        external_parent_id: order.reference,
        parcel: { parcel_id: parcel.parcelId, item_id: parcel.itemId, merchant_tracking: parcel.merchantTracking },
        status: parcel.status,
        previous_status: previous,
        region_status: order.regionStatus,
        occurred_at: at,
      },
    };
    this.feed.push(entry);
    const key = tenantKey(order.partnerId, order.warehouseId);
    let list = this.feedByTenant.get(key);
    if (!list) {
      list = [];
      this.feedByTenant.set(key, list);
    }
    list.push(entry);
  }

  /** A deep, JSON-comparable copy of everything a request may change, for "nothing changed" checks. */
  snapshot(): string {
    const orders = [...this.ordersByTracking.values()].map(({ parcels, ...order }) => ({
      ...order,
      parcels: parcels.map(({ order: _order, ...parcel }) => parcel),
    }));
    const books = [...this.books].map(([id, b]) => ({
      id,
      orders: [...b.orders.keys()],
      items: [...b.items.keys()],
      merchant: [...b.merchant.keys()],
      events: [...b.events],
      regions: [...b.regions],
    }));
    return JSON.stringify({
      orders,
      books,
      feed: this.feed,
      counters: [this.orderCounter, this.parcelCounter, this.feedCounter],
    });
  }
}
