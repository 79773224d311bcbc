// The fixtures the benches use, found by role in sandbox/fixtures.json (as sandbox/test/roles.ts does for the tests),
// so no bench writes an id, a credential or a key.
import { listServices } from '../src/catalogue.ts';
import { loadFixtures } from '../src/fixtures.ts';

const fixtures = loadFixtures();

/** The fixture credential whose role is "full". */
export const FULL = fixtures.credentials.find((c) => c.role === 'full')!;

/** A clearance service `FULL` may order: it needs no region fields, so a bare order is accepted. */
export const CLEARANCE = listServices(fixtures, FULL).find((s) => s.delivery_type === 'clearance')!.id;

/** The API key of the first Starship account. */
export const STARSHIP_KEY = fixtures.starship.accounts[0]!.api_key;
