// `npm run sandbox`: starts the sandbox (--port / PORT, --token-ttl / SANDBOX_TOKEN_TTL) and prints what a user needs to call it.
import { parseArgs } from 'node:util';
import { DEFAULT_PORT, DEFAULT_TOKEN_TTL_SECONDS, loadFixtures, startSandbox } from './server.ts';
import type { Fixtures } from './types.ts';

function positiveInt(name: string, text: string | undefined, fallback: number, min = 1): number {
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > 65535 * 1_000_000) {
    console.error(`sandbox: ${name} must be an integer >= ${min}, got ${JSON.stringify(text)}`);
    process.exit(2);
  }
  return n;
}

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

const { values } = parseArgs({
  options: { port: { type: 'string' }, 'token-ttl': { type: 'string' }, host: { type: 'string' } },
  allowPositionals: false,
});
const port = positiveInt('--port', values.port ?? process.env.PORT, DEFAULT_PORT, 0);
const ttl = positiveInt('--token-ttl', values['token-ttl'] ?? process.env.SANDBOX_TOKEN_TTL, DEFAULT_TOKEN_TTL_SECONDS);
const fixtures = loadFixtures();
const sandbox = await startSandbox({ port, tokenTtlSeconds: ttl, fixtures, host: values.host ?? process.env.HOST ?? '127.0.0.1' });
console.log(banner(sandbox.url, ttl, fixtures));
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
