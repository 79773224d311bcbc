// The client every client test builds: the test credentials on an observed fetch, plus the options a test is about.
import { createStarmileClient, type StarmileClientOptions } from '../../src/index.js';

/** The credentials the client tests sign in with; the observed fetch answers any token request. */
export const credentials = { baseUrl: 'http://starmile.test', clientId: 'cli_acme', clientSecret: 's3cret' };

export const testClient = (fetch: typeof globalThis.fetch, options: Partial<StarmileClientOptions> = {}) =>
  createStarmileClient({ ...credentials, ...options, fetch });
