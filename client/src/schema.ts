// The Starmile Partner API types (every component under its own name, and openapi-fetch's paths), re-exported so every
// module imports them from one sibling path.
export type * from '../../contract/starmile-partner.js';
