// The Starmile Partner API's types, generated from its spec: each component under its own name (`Order`,
// `CreateOrderRequest`, `ResponseNotFound`), and `paths`, `operations` and `components` for openapi-fetch; and each
// operation's facts (its scopes, retry-safety), generated from the spec as data.

/**
 * Each operation's facts as the spec states them: `scopes` (the OAuth2 scopes), `Scope`, per operationId
 * (`OperationId`) its method, path, required scopes and retry-safety; and `messages`, the error messages the spec
 * states (`x-messages`).
 */
export {
  type MessageName,
  messages,
  type OperationId,
  operationFacts,
  type Scope,
  scopes,
} from '../generated/starmile-partner/operations.js';
export type * from '../generated/starmile-partner/schema.js';
