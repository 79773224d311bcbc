// The public entry of @starmile/partner-client: the client factory, its errors and the API's types.
export {
  createStarmileClient,
  StarmileResponseError,
  type CallOptions,
  type ChangesQuery,
  type StarmileClient,
  type StarmileClientOptions,
  type StarmileOperations,
} from './client.js';
export { StarmileTokenError } from './token.js';
export type { RetryOptions } from './retry.js';
export type { components, operations, paths } from './schema.js';
