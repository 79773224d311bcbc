// The Starmile Partner API's types, generated from its spec: each component under its own name (`Order`,
// `CreateOrderRequest`, `ResponseNotFound`), and `paths`, `operations` and `components` for openapi-fetch.
export type * from '../generated/starmile-partner/schema.js';
