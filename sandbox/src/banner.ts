// What `npm run sandbox` prints: the base URL, every credential, the services by delivery type, region pairs, PUDO
// points, the operator endpoints and the Starship part.

import type { Fixtures } from '../../contract/sandbox-admin.ts';
import { STARSHIP_PREFIX } from './starship/prefix.ts';

/**
 * The banner: base URL, credentials, services by delivery type, regions, PUDO points, admin endpoints, then Starship.
 */
export function banner(url: string, ttl: number, f: Fixtures, starshipWebhookUrl: string | null = null): string {
  const lines: string[] = [`Starmile sandbox listening on ${url}  (in memory; token TTL ${ttl} s)`, ''];
  const warehouse = (id: number) => f.warehouses.find((w) => w.org_country_id === id)?.name ?? `warehouse ${id}`;
  const partner = (id: number) => f.partners.find((p) => p.partner_id === id)?.name ?? `partner ${id}`;
  lines.push('Credentials (client_id / client_secret -> partner, warehouse: scopes)');
  for (const c of f.credentials)
    lines.push(
      `  ${c.client_id} / ${c.client_secret} -> partner ${c.partner_id} ${partner(c.partner_id)}, warehouse ${c.org_country_id} ${warehouse(c.org_country_id)} [${c.role}]: ${c.scopes.join(' ')}`,
    );
  lines.push('', 'Services (service_id: delivery type, corridor, warehouse, consolidation)');
  for (const s of f.services) {
    const rated = f.rates.filter((r) => r.bindings.some((b) => b.service_id === s.id));
    const bound = rated.flatMap((r) =>
      r.bindings
        .filter((b) => b.service_id === s.id)
        .map((b) => `partner ${b.partner_id}${r.status === 'active' ? '' : ' (inactive rate)'}`),
    );
    lines.push(
      `  ${s.id}: ${s.delivery_type}, ${s.origin_country}->${s.destination_country}, warehouse ${s.org_country_id}, consolidation ${s.consolidation_enabled ? 'yes' : 'no'}; rated for ${[...new Set(bound)].join(', ') || 'nobody'}`,
    );
  }
  lines.push('', 'Region pairs (partner: parent_region/region -> Starmile region)');
  for (const m of f.region_mappings)
    lines.push(`  mapped    partner ${m.partner_id}: ${m.parent_region}/${m.region} -> ${m.starmile_region_id}`);
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
    `  POST ${url}/_sandbox/orders/preload        {"client_id","count"}  bulk-loads a history (benchmarks)`,
    '',
    'Try it:',
    `  curl -s -X POST ${url}/oauth/token -H 'Content-Type: application/json' \\`,
    `    -d '{"grant_type":"client_credentials","client_id":"${f.credentials[0]?.client_id}","client_secret":"${f.credentials[0]?.client_secret}"}'`,
  );
  lines.push('', ...starshipBanner(url, f.starship, starshipWebhookUrl));
  return lines.join('\n');
}

/** The path an order of a product takes, as the sandbox decides it (decision SS2); `cap` is the largest bulk cap. */
function pathOf(stock: number, cap: number): string {
  if (stock === 0) return 'pending (path 2: escalate it)';
  if (stock >= cap) return 'instant (path 1)';
  return `instant up to ${stock} units, partial above (paths 1 and 3: settle it)`;
}

function starshipBanner(url: string, s: Fixtures['starship'], webhookUrl: string | null): string[] {
  const api = `${url}${STARSHIP_PREFIX}`;
  const key = s.accounts[0]?.api_key ?? '<api key>';
  const cap = Math.max(...s.accounts.map((a) => a.bulk_cap));
  return [
    `Starship Rewards API on ${api}  (Authorization: Bearer <api key>)`,
    '',
    'API keys (api_key -> account, bulk cap: a larger quantity is CANCELLED · BULK_LIMIT_EXCEEDED)',
    ...s.accounts.map(
      (a) =>
        `  ${a.api_key} -> ${a.name}, bulk cap ${a.bulk_cap}, webhooks signed with ${a.webhook_secrets.join(' and ')}`,
    ),
    '',
    'Products (sku: stock -> path; stock never runs down)',
    ...s.products.map(
      (p) =>
        `  ${p.sku}: stock ${p.stock} -> ${pathOf(p.stock, cap)}; ${p.delivery === 'link' ? 'vouchers as links' : 'voucher codes'}`,
    ),
    '',
    `Webhooks go to: ${webhookUrl ?? 'nowhere yet (set one below, or start with --starship-webhook-url / STARSHIP_WEBHOOK_URL)'}`,
    '  each carries Starship-Signature: verify it with verifyWebhook from @starmile/partner-client/starship',
    '',
    'Sandbox-only Starship controls (no auth; openapi/sandbox-admin/openapi.yaml)',
    `  PUT  ${url}/_sandbox/starship/webhook-target        {"url": "http://127.0.0.1:8787/hooks" | null}`,
    `  POST ${url}/_sandbox/starship/orders/{id}/escalate  {"outcome": "vouchers" | "failure"}     PENDING · VENDOR_ORDER_PENDING`,
    `  POST ${url}/_sandbox/starship/orders/{id}/settle    {"outcome": "fulfilled" | "refunded"}   PARTIALLY_DELIVERED`,
    `  POST ${url}/_sandbox/starship/orders/{id}/cancel    {"refund": "succeeds" | "fails"}        DELIVERED (late cancellation)`,
    `  GET  ${url}/_sandbox/starship/webhooks?order_id=    every webhook fired, its payload and the receiver's answer`,
    '',
    'Try it:',
    `  curl -s -X POST ${api}/orders -H 'Authorization: Bearer ${key}' -H 'Content-Type: application/json' \\`,
    `    -d '{"sku":"${s.products[0]?.sku ?? 'SKU'}","quantity":2,"reference":"my-order-1"}'`,
  ];
}
