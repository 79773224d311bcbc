// Both ways a named method can run: straight to fetch, or through openapi-fetch once the caller adds middleware; behaviour tests run on each.
import { createStarmileClient, type StarmileClient, type StarmileClientOptions } from '../../src/index.js';

export const CALL_PATHS = ['direct', 'openapi-fetch'] as const;
export type CallPath = (typeof CALL_PATHS)[number];

/** A middleware that changes nothing, so adding it only switches the named methods onto openapi-fetch. */
const passThrough = { onRequest: () => undefined };

export function clientOn(path: CallPath, options: StarmileClientOptions): StarmileClient {
  const client = createStarmileClient(options);
  if (path === 'openapi-fetch') client.use(passThrough);
  return client;
}
