// The limits, bounds and defaults the specs state that the sandbox enforces, read once from them, never written here.
import { loadSpec } from '../../contract/index.ts';

/** The Partner API's request limits (`info.x-request-limits`): the body cap and the structure of a JSON body (X12). */
export const REQUEST_LIMITS: { bodyBytes: number; depth: number; members: number; containers: number } =
  loadSpec('starmile-partner').info['x-request-limits'];

/** What the sandbox keeps, at most (`info.x-sandbox-bounds` of the operator API, decision SB16). */
export const SANDBOX_BOUNDS: { tokensPerClient: number; webhookLogBodyBytes: number; waitingDeliveries: number } =
  loadSpec('sandbox-admin').info['x-sandbox-bounds'];

/** The most entries the Starship webhook log keeps: `StarshipWebhookLog.data.maxItems` of the operator API. */
export const WEBHOOK_LOG_ENTRIES: number =
  loadSpec('sandbox-admin').components.schemas.StarshipWebhookLog.properties.data.maxItems;

/** Bulk-loaded orders one sandbox may hold, every credential together: the maximum of `preloaded_total`. */
export const PRELOAD_TOTAL: number =
  loadSpec('sandbox-admin').components.schemas.PreloadedOrders.properties.preloaded_total.maximum;

/** The page size of the status pool when `limit` is not given: the `Limit` parameter's default. */
export const DEFAULT_PAGE_SIZE: number = loadSpec('starmile-partner').components.parameters.Limit.schema.default;
