// The fixtures the benches use, found by role in sandbox/fixtures.json (as sandbox/test/roles.ts does for the tests),
// so no bench writes an id, a credential or a key.
import { clearanceServiceOf } from '../src/catalogue.ts';
import { credentialOfRole, loadFixtures } from '../src/fixtures.ts';

const fixtures = loadFixtures();

/** The fixture credential whose role is "full". */
export const FULL = credentialOfRole(fixtures, 'full');

/** A clearance service `FULL` may order: it needs no region fields, so a bare order is accepted. */
export const CLEARANCE = clearanceServiceOf(fixtures, FULL)!.id;

/** The API key of the first Starship account. */
export const STARSHIP_KEY = fixtures.starship.accounts[0]!.api_key;
