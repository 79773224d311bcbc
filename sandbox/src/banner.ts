// What `npm run sandbox` prints: the base URL, every credential, the services by delivery type, region pairs, PUDO points and the operator endpoints.
import type { Fixtures } from './types.ts';

/** The banner: base URL, credentials, services by delivery type, regions, PUDO points, admin endpoints. */
export function banner(url: string, ttl: number, f: Fixtures): string {
  const lines: string[] = [`Starmile sandbox listening on ${url}  (in memory; token TTL ${ttl} s)`, ''];
  const warehouse = (id: number) => f.warehouses.find((w) => w.org_country_id === id)?.name ?? `warehouse ${id}`;
  const partner = (id: number) => f.partners.find((p) => p.partner_id === id)?.name ?? `partner ${id}`;
  lines.push('Credentials (client_id / client_secret -> partner, warehouse: scopes)');
  for (const c of f.credentials)
    lines.push(`  ${c.client_id} / ${c.client_secret} -> partner ${c.partner_id} ${partner(c.partner_id)}, warehouse ${c.org_country_id} ${warehouse(c.org_country_id)} [${c.role}]: ${c.scopes.join(' ')}`);
  lines.push('', 'Services (service_id: delivery type, corridor, warehouse, consolidation)');
  for (const s of f.services) {
    const rated = f.rates.filter((r) => r.bindings.some((b) => b.service_id === s.id));
    const bound = rated.flatMap((r) => r.bindings.filter((b) => b.service_id === s.id).map((b) => `partner ${b.partner_id}${r.status === 'active' ? '' : ' (inactive rate)'}`));
    lines.push(`  ${s.id}: ${s.delivery_type}, ${s.origin_country}->${s.destination_country}, warehouse ${s.org_country_id}, consolidation ${s.consolidation_enabled ? 'yes' : 'no'}; rated for ${[...new Set(bound)].join(', ') || 'nobody'}`);
  }
  lines.push('', 'Region pairs (partner: parent_region/region -> Starmile region)');
  for (const m of f.region_mappings) lines.push(`  mapped    partner ${m.partner_id}: ${m.parent_region}/${m.region} -> ${m.starmile_region_id}`);
  const u = f.unmapped_region_example;
  lines.push(`  unmapped  partner ${u.partner_id}: ${u.parent_region}/${u.region} -> pending_mapping until mapped`);
  lines.push('', 'PUDO points (pudo_id: country, kind)');
  for (const p of f.pudo_points) lines.push(`  ${p.pudo_id}: ${p.country}, ${p.kind}, ${p.name}`);
  lines.push(
    '',
    'Sandbox-only operator endpoints (no auth; openapi/sandbox-admin/openapi.yaml)',
    `  POST ${url}/_sandbox/region-mappings        {"client_id","parent_region","region","starmile_region_id"?}`,
    `  POST ${url}/_sandbox/parcels/{parcel_id}/advance  {"status"?: "received"}`,
    `  POST ${url}/_sandbox/tokens/expire          {"client_id"?}`,
    `  GET  ${url}/_sandbox/fixtures`,
    '',
    'Try it:',
    `  curl -s -X POST ${url}/oauth/token -H 'Content-Type: application/json' \\`,
    `    -d '{"grant_type":"client_credentials","client_id":"${f.credentials[0]?.client_id}","client_secret":"${f.credentials[0]?.client_secret}"}'`,
  );
  return lines.join('\n');
}
