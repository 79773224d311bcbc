// The sandbox's own profile for the self-tests: derived from THE fixture file, the hooks pointing at the sandbox at
// `baseUrl`.
import { loadFixtures } from '../../../sandbox/src/fixtures.ts';
import { sandboxProfileInput } from '../../src/sandbox-profile.ts';

export const sandboxProfile = (baseUrl: string) => sandboxProfileInput(baseUrl, loadFixtures());
