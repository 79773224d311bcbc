// Loads THE fixture file (sandbox/fixtures.json) and checks it against the Fixtures schema of the sandbox-admin spec.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { schemaValidator, toFieldErrors } from '../../contract/index.ts';
import type { Fixtures } from '../../contract/sandbox-admin.ts';

export type { Fixtures } from '../../contract/sandbox-admin.ts';

export const FIXTURES_FILE = fileURLToPath(new URL('../fixtures.json', import.meta.url));

/** Parses and validates a fixture file; a broken file stops the sandbox with the offending paths. */
export function loadFixtures(file = FIXTURES_FILE): Fixtures {
  return checkFixtures(JSON.parse(readFileSync(file, 'utf8')) as unknown, file);
}

export function checkFixtures(value: unknown, where = 'fixtures'): Fixtures {
  const validate = schemaValidator('sandbox-admin', 'Fixtures');
  if (!validate(value))
    throw new Error(`${where} does not match the Fixtures schema: ${JSON.stringify(toFieldErrors(validate.errors))}`);
  const fixtures = value as Fixtures;
  // References between lists are what the sandbox relies on; the schema alone cannot say them.
  const partners = new Set(fixtures.partners.map((p) => p.partner_id));
  const warehouses = new Set(fixtures.warehouses.map((w) => w.org_country_id));
  const regions = new Set(fixtures.regions.map((r) => r.starmile_region_id));
  const problems: string[] = [];
  for (const c of fixtures.credentials) {
    if (!partners.has(c.partner_id)) problems.push(`credential ${c.client_id}: unknown partner ${c.partner_id}`);
    if (!warehouses.has(c.org_country_id))
      problems.push(`credential ${c.client_id}: unknown warehouse ${c.org_country_id}`);
  }
  for (const m of fixtures.region_mappings)
    if (!regions.has(m.starmile_region_id))
      problems.push(`mapping ${m.parent_region}/${m.region}: unknown region ${m.starmile_region_id}`);
  if (new Set(fixtures.credentials.map((c) => c.client_id)).size !== fixtures.credentials.length)
    problems.push('duplicate client_id');
  if (problems.length) throw new Error(`${where}: ${problems.join('; ')}`);
  return fixtures;
}

/** The first fixture credential of a role (`full`, `narrow`, `other-partner`, …); a fixture file without one throws. */
export function credentialOfRole(fixtures: Fixtures, role: string): Fixtures['credentials'][number] {
  const found = fixtures.credentials.find((c) => c.role === role);
  if (!found) throw new Error(`the fixtures have no credential whose role is "${role}"`);
  return found;
}
