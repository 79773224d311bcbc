// The public entry of @starmile/partner-client: the client factory, its errors and the API's types.
export {
  type CallOptions,
  type ChangesQuery,
  createStarmileClient,
  type StarmileClient,
  type StarmileClientOptions,
  type StarmileOperations,
  StarmileResponseError,
} from './client.js';
export type { RetryOptions } from './retry.js';
export type { components, operations, paths } from './schema.js';
export { StarmileTokenError } from './token.js';
