// The self-test's side of the rules' faults: the sandbox's fixtures handed to the fault kit, and every credential's
// secret for the proxy (each rule keeps its own faults beside its check).
import { loadFixtures } from '../../../sandbox/src/fixtures.ts';
import { useFixtures } from '../../src/fault-kit.ts';

const fx = loadFixtures();
useFixtures(fx);

export const faultCredentials = fx.credentials.map((c) => ({ clientId: c.client_id, secret: c.client_secret }));
