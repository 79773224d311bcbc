// The sandbox operator API's types (sandbox-admin), generated from its spec: each component under its own name
// (`Fixtures`, `Credential`, `StarshipWebhookDelivery`), and `paths`, `operations` and `components`; and each
// operation's facts, generated from the spec as data.

// Each operation's facts and the error messages, as the spec states them (documented in the generated file).
export * from '../generated/sandbox-admin/operations.js';
export type * from '../generated/sandbox-admin/schema.js';
