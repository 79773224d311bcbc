// The Starship Rewards API's types, generated from its spec: each component under its own name (`Order`, `SubStatus`,
// `OrderPendingEvent`), `paths`, `operations`, `components`, `webhooks`; the two its webhooks imply; and each
// operation's facts, generated from the spec as data.
import type { webhooks } from '../generated/starship-rewards/schema.js';

export type * from '../generated/starship-rewards/schema.js';

/** A webhook the spec documents (`order.pending`, …). */
export type WebhookName = keyof webhooks;

/** What a webhook delivers: the payload of any webhook the spec documents. */
export type OrderEvent = {
  [W in WebhookName]: webhooks[W]['post']['requestBody']['content']['application/json'];
}[WebhookName];

// Each operation's facts and the error messages, as the spec states them (documented in the generated file).
export * from '../generated/starship-rewards/operations.js';
