// The sandbox operator API's types (sandbox-admin), generated from its spec: each component under its own name
// (`Fixtures`, `Credential`, `StarshipWebhookDelivery`), and `paths`, `operations` and `components`; and each
// operation's facts, generated from the spec as data.

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
} from '../generated/sandbox-admin/operations.js';
export type * from '../generated/sandbox-admin/schema.js';
