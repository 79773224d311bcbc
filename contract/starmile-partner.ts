// The Starmile Partner API's types, generated from its spec: each component under its own name (`Order`,
// `CreateOrderRequest`, `ResponseNotFound`), and `paths`, `operations` and `components` for openapi-fetch; and each
// operation's facts (its scopes, retry-safety), generated from the spec as data.

// Each operation's facts and the error messages, as the spec states them (documented in the generated file).
export * from '../generated/starmile-partner/operations.js';
export type * from '../generated/starmile-partner/schema.js';
