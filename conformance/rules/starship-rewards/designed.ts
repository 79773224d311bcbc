// The designed parts of the Starship contract that rules resting on the lifecycle document also assert: each such
// assertion is in the contract class, with its part as its source.
import { designedPart as part } from '../../src/define.ts';

/** The order's timestamps besides status_changed_at. */
export const TIMESTAMPS = part(
  'created_at never changes; updated_at never goes back (webhook receivers drop older states by it).',
  '/components/schemas/Order/properties/updated_at',
);
/** S8: an order over the bulk cap is placed and answered 201, cancelled, with all its units. */
export const BULK_POST_ANSWER = part(
  'POST /orders over the bulk cap answers 201 with the order CANCELLED · BULK_LIMIT_EXCEEDED, keeping every unit (cancelled, without a voucher).',
  '/paths/~1orders/post/responses/201',
  'S8',
);
/** S12: what the POST /orders answer carries on paths 2 and 3. */
export const POST_ANSWER = part(
  'POST /orders answers the state the pipeline reached before it waits: PENDING · VENDOR_ORDER_PENDING on an inventory miss, PARTIALLY_DELIVERED · PARTIAL when only some units are in stock.',
  '/paths/~1orders/post/responses/201',
  'S12',
);
