// The sandbox operator API's types (sandbox-admin), generated from its spec: each component under its own name
// (`Fixtures`, `Credential`, `StarshipWebhookDelivery`), and `paths`, `operations` and `components`.
export type * from '../generated/sandbox-admin/schema.js';
