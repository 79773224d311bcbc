// The designed parts of the Starmile contract that rules resting on the documents also assert: each such assertion is
// in the contract class, with its part as its source.
import { designedPart as part } from '../../src/define.ts';
import { CHANGES, EVENTS, ORDERS } from './meta.ts';
import { pageLimit, realm } from './spec.ts';

/** D6: an error body names each rejected field in `errors`. */
export const ERRORS_NAME_FIELD = part(
  'An error body names each rejected field in `errors` (field path, dots and zero-based indices).',
  '/components/schemas/Error/properties/errors',
  'D6',
);
/** D6/X7: a request the contract refuses for its content is answered 422, not another 4xx. */
export const REJECTED_422 = part(
  'A request the contract refuses for its content is answered 422 with the error body.',
  `${ORDERS}/responses/422`,
  'D6',
);
/** D6: 401 challenges carry the realm, and error="invalid_token" when a token was sent (RFC 6750 §3). */
export const CHALLENGE = part(
  `A 401 carries WWW-Authenticate: Bearer realm="${realm()}", with error="invalid_token" when a token was sent (RFC 6750 §3).`,
  '/components/headers/WwwAuthenticateBearer',
  'D6',
);
/** D6: a missing scope is 403 naming the scope in `message` and in the challenge (RFC 6750 §3.1). */
export const FORBIDDEN = part(
  'A missing scope is 403, naming the scope in message and in WWW-Authenticate error="insufficient_scope" (RFC 6750 §3.1).',
  '/components/responses/Forbidden',
  'D6',
);
/** X1 + D8: the scope matrix, tried both ways with tokens narrowed to one scope. */
export const SCOPE_MATRIX = part(
  'Each operation needs exactly its one scope: a token narrowed (X1) to any other scope is refused, one narrowed to that scope is let through.',
  '/components/securitySchemes',
  'D8',
);
/** X1: the token response. */
export const TOKEN_RESPONSE = part(
  'The token response is {access_token, token_type Bearer, expires_in, scope} with Cache-Control: no-store (RFC 6749 §5.1).',
  '/components/schemas/TokenResponse',
  'X1',
);
/** D4: the 201 echoes the partner's order_id as external_parent_id. */
export const ECHO_IN_201 = part(
  "The 201 echoes the partner's order_id as external_parent_id, as the order and the status pool do.",
  '/components/schemas/CreatedOrder/properties/external_parent_id',
  'D4',
);
/** D2: an omitted item_id leaves partner_tracking null (the documents say "left empty"). */
export const EMPTY_IS_NULL = part(
  '"Left empty" is null, as item_id is when omitted.',
  '/components/schemas/Parcel/properties/partner_tracking',
  'D20',
);
/** D7: a rate's bindings name the Service's own id. */
export const RATE_BINDINGS = part(
  "A rate's bindings name the partner, the Service's own id and the warehouse.",
  '/components/schemas/RateBinding',
  'D7',
);
/** D1: an order names its service by the Service's own id. */
export const SERVICE_ID_IS_ID = part(
  "service_id carries the Service's own id from GET /api/v1/services, not its flow_definition_id.",
  `${ORDERS}/requestBody`,
  'D1',
);
/** D12: a locker takes a pudo_id, like a PUDO point. */
export const MISPLACED_LOCKER = part(
  'A locker service takes a pudo_id (a locker is a PUDO point).',
  `${ORDERS}/requestBody`,
  'D12',
);
/** X5: the answer to an accepted event. */
export const EVENT_ANSWER = part(
  'An accepted event is 202 {event_id, type, duplicate: false, parcels: [{parcel_id, status}]}.',
  `${EVENTS}/responses/202`,
  'X5',
);
/** X3 + X5: the parcel statuses and the status each event moves a parcel to. */
export const PARCEL_STATUS = part(
  'The parcel statuses (X3), and the status each event moves a parcel to (x-moves-to).',
  '/components/schemas/ParcelStatus',
  'X3',
);
/** D3: the management paths take the parcel_id as well as the item_id. */
export const ADDRESSING = part(
  "{item_id} also takes the parcel's parcel_id, so a parcel sent without item_id is addressable.",
  '/components/parameters/ItemId',
  'D3',
);
/** D21: an update naming no field is refused. */
export const EMPTY_UPDATE = part(
  'An update must send at least one field; an empty one is refused (422) and changes nothing.',
  '/components/schemas/UpdateParcelRequest/minProperties',
  'D21',
);
/** D9: request bodies refuse fields the contract does not define. */
export const UNKNOWN_FIELDS = part(
  'A request body with a field the contract does not define is refused (422 naming it), never silently ignored.',
  '/components/schemas/UpdateParcelRequest/additionalProperties',
  'D9',
);
/** D11: cross docking has no home region either. */
export const CROSS_DOCKING = part(
  'A cross docking order has region_status "not_applicable", as clearance does.',
  '/components/schemas/RegionStatus',
  'D11',
);
/** X2: the order read back. */
export const READ_BACK = part(
  'The order read back carries status, consolidation_required and every parcel detail as sent.',
  '/components/schemas/Order',
  'X2',
);
/** X4: the entry of a status change. */
export const CHANGE_ENTRY = part(
  'A status pool entry carries its type, the parcel references, status and previous_status.',
  '/components/schemas/Change',
  'X4',
);
/** X4: the page of the status pool. */
export const FEED_PAGE = part(
  'A page carries next_cursor (also when empty) and has_more.',
  '/components/schemas/ChangeList',
  'X4',
);
/** X4: the page size parameter. */
export const FEED_LIMIT = part(
  `limit bounds a page to ${pageLimit().minimum}..${pageLimit().maximum} entries (default ${pageLimit().default}).`,
  `${CHANGES}/parameters`,
  'X4',
);
/** X6: another partner's order is answered exactly like an unknown one. */
export const TENANT_404 = part(
  "Another partner's order, parcel or package is 404 (422 inside an event body), never 403 or 409, so references are not revealed.",
  '/components/responses/NotFound',
  'X6',
);
