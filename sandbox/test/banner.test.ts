// The start-up banner names everything a user needs to call the sandbox, straight from the fixtures.
import { expect, test } from 'vitest';
import { loadSpec } from '../../contract/index.ts';
import { banner } from '../src/banner.ts';
import { DEFAULT_TOKEN_TTL_SECONDS } from '../src/server.ts';
import { fixtures } from './helpers.ts';

const text = banner('http://127.0.0.1:4020', DEFAULT_TOKEN_TTL_SECONDS, fixtures);

test('the base URL and the token TTL', () => {
  expect(text).toContain('http://127.0.0.1:4020');
  expect(text).toContain(`TTL ${DEFAULT_TOKEN_TTL_SECONDS} s`);
});

test.each(fixtures.credentials.map((c) => [c.client_id, c]))(
  'credential %s with its secret, partner, warehouse and scopes',
  (_id, c) => {
    const line = text.split('\n').find((l) => l.includes(`${c.client_id} / ${c.client_secret}`));
    expect(line).toBeDefined();
    expect(line).toContain(`partner ${c.partner_id}`);
    expect(line).toContain(`warehouse ${c.org_country_id}`);
    expect(line).toContain(c.scopes.join(' '));
  },
);

test('every service with its delivery type, every region pair and PUDO point, every operator endpoint', () => {
  for (const s of fixtures.services) expect(text).toContain(`${s.id}: ${s.delivery_type}`);
  for (const m of fixtures.region_mappings)
    expect(text).toContain(`${m.parent_region}/${m.region} -> ${m.starmile_region_id}`);
  const u = fixtures.unmapped_region_example;
  expect(text).toContain(`${u.parent_region}/${u.region} -> pending_mapping`);
  for (const p of fixtures.pudo_points) expect(text).toContain(`${p.pudo_id}: ${p.country}`);
  for (const path of Object.keys(loadSpec('sandbox-admin').paths)) expect(text).toContain(path);
});
