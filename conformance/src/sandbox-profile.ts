// Derives the profile of the sandbox from its fixtures (THE fixture file, sandbox/fixtures.json, as the sandbox serves
// or loads it), so the suite never keeps a second copy of its values.
import { loadSpec } from '../../contract/index.ts';
import type { Fixtures } from '../../contract/sandbox-admin.ts';
import type { Scope } from '../../contract/starmile-partner.ts';
import type { ProfileInput, StarshipInput } from './profile.ts';

const need = <T>(value: T | undefined, what: string): T => {
  if (value === undefined)
    throw new Error(`sandbox/fixtures.json has no ${what}; the sandbox profile cannot be derived`);
  return value;
};

/** The sandbox's operator endpoints as profile hooks (openapi/sandbox-admin). */
export const sandboxHooks: NonNullable<ProfileInput['hooks']> = {
  mapRegion: {
    method: 'POST',
    url: '{baseUrl}/_sandbox/region-mappings',
    body: { client_id: '{clientId}', parent_region: '{parent_region}', region: '{region}' },
  },
  advanceParcel: {
    method: 'POST',
    url: '{baseUrl}/_sandbox/parcels/{parcel_id}/advance',
    body: { status: '{status}' },
  },
  expireTokens: { method: 'POST', url: '{baseUrl}/_sandbox/tokens/expire', body: { client_id: '{clientId}' } },
  starshipEscalate: {
    method: 'POST',
    url: '{baseUrl}/_sandbox/starship/orders/{order_id}/escalate',
    body: { outcome: '{outcome}' },
  },
  starshipSettle: {
    method: 'POST',
    url: '{baseUrl}/_sandbox/starship/orders/{order_id}/settle',
    body: { outcome: '{outcome}' },
  },
  starshipLateCancel: {
    method: 'POST',
    url: '{baseUrl}/_sandbox/starship/orders/{order_id}/cancel',
    body: { refund: '{refund}' },
  },
  starshipWebhooks: { method: 'GET', url: '{baseUrl}/_sandbox/starship/webhooks?order_id={order_id}' },
};

/** The path the Starship spec's default server puts its API under (the sandbox mounts it there). */
export const starshipPrefix = (): string =>
  new URL(loadSpec('starship-rewards').servers[0].variables.baseUrl.default as string).pathname.replace(/\/+$/, '');

/**
 * The Starship section: an account's key, cap and webhook secrets (the first one rotating a secret, so the rotation rule
 * is verified; else the first), and a product for each path as the fixtures' stock decides it.
 */
export function sandboxStarship(baseUrl: string, fixtures: Fixtures): StarshipInput {
  const s = need(fixtures.starship, 'starship section');
  // A sandbox older than signed webhooks (SX8) lists accounts without secrets: its profile has none, and the signature
  // rules are not verified.
  const secretsOf = (a: (typeof s.accounts)[number]): string[] | undefined => (a as Partial<typeof a>).webhook_secrets;
  const account = need(s.accounts.find((a) => (secretsOf(a)?.length ?? 0) > 1) ?? s.accounts[0], 'Starship account');
  const cap = account.bulk_cap;
  const instant = need(
    s.products.find((p) => p.stock >= cap && p.delivery === 'code') ?? s.products.find((p) => p.stock >= cap),
    `Starship product with stock for ${cap} units`,
  );
  const pending = need(
    s.products.find((p) => p.stock === 0),
    'Starship product out of stock',
  );
  const partial = need(
    s.products.find((p) => p.stock > 0 && p.stock < cap),
    `Starship product with stock for fewer than ${cap} units`,
  );
  return {
    baseUrl: `${baseUrl}${starshipPrefix()}`,
    apiKey: account.api_key,
    products: {
      instant: instant.sku,
      pending: pending.sku,
      partial: { sku: partial.sku, quantity: partial.stock + 1 },
    },
    bulkCap: cap,
    ...(secretsOf(account) ? { webhookSecrets: secretsOf(account)! } : {}),
  };
}

export function sandboxProfileInput(baseUrl: string, fixtures: Fixtures): ProfileInput {
  const byRole = (role: string) => fixtures.credentials.filter((c) => c.role === role);
  const full = need(byRole('full')[0], 'credential with role "full"');
  const other = need(byRole('other-partner')[0], 'credential with role "other-partner"');
  const otherWarehouse = byRole('other-warehouse').find((c) => c.partner_id === full.partner_id);
  const rated = (partner: number, warehouse: number) =>
    fixtures.services.filter(
      (s) =>
        s.org_country_id === warehouse &&
        fixtures.rates.some(
          (r) =>
            r.status === 'active' &&
            r.bindings.some((b) => b.partner_id === partner && b.service_id === s.id && b.org_country_id === warehouse),
        ),
    );
  const mine = rated(full.partner_id, full.org_country_id);
  const ofType = (type: string) =>
    need(
      mine.find((s) => s.delivery_type === type),
      `rated ${type} service for ${full.client_id}`,
    );
  const pudo = ofType('pudo');
  const locker = ofType('locker');
  const points = fixtures.pudo_points;
  const mappings = fixtures.region_mappings.filter((m) => m.partner_id === full.partner_id);
  const twoParents = mappings.flatMap((a) =>
    mappings.filter((b) => b.region === a.region && b.parent_region !== a.parent_region).map((b) => [a, b] as const),
  )[0];
  const pair = (m: { parent_region: string; region: string }) => ({ parentRegion: m.parent_region, region: m.region });
  const credential = (c: { client_id: string; client_secret: string; partner_id: number; org_country_id: number }) => ({
    clientId: c.client_id,
    clientSecret: c.client_secret,
    partnerId: c.partner_id,
    warehouseId: c.org_country_id,
  });
  const otherWarehouseService = otherWarehouse && rated(otherWarehouse.partner_id, otherWarehouse.org_country_id)[0];
  return {
    name: 'sandbox (profile derived from sandbox/fixtures.json)',
    baseUrl,
    credentials: {
      full: credential(full),
      narrow: byRole('narrow')
        .filter((c) => c.partner_id === full.partner_id && c.org_country_id === full.org_country_id)
        .map((c) => ({ ...credential(c), scopes: c.scopes as Scope[] })),
      otherPartner: credential(other),
      ...(otherWarehouse ? { otherWarehouse: credential(otherWarehouse) } : {}),
    },
    fixtures: {
      services: {
        homeDelivery: ofType('home_delivery').id,
        pudo: pudo.id,
        locker: locker.id,
        clearance: ofType('clearance').id,
        crossDocking: ofType('cross_docking').id,
        withConsolidation: need(
          mine.find((s) => s.consolidation_enabled),
          'rated service with consolidation',
        ).id,
        withoutConsolidation: need(
          mine.find((s) => !s.consolidation_enabled),
          'rated service without consolidation',
        ).id,
        unrated: need(
          fixtures.services.find((s) => s.org_country_id === full.org_country_id && !mine.includes(s)),
          'unrated service',
        ).id,
        ...(otherWarehouseService ? { otherWarehouse: otherWarehouseService.id } : {}),
      },
      regions: {
        mapped: pair(need(mappings[0], 'region mapping')),
        sameLeafTwoParents: need(twoParents, 'leaf mapped under two parents').map(pair),
        unmappedParent: fixtures.unmapped_region_example.parent_region,
      },
      pudoPoints: {
        valid: need(
          points.find((p) => p.kind === 'pudo' && p.country === pudo.destination_country),
          'PUDO point',
        ).pudo_id,
        locker: need(
          points.find((p) => p.kind === 'locker' && p.country === locker.destination_country),
          'locker',
        ).pudo_id,
        wrongCountry: need(
          points.find((p) => p.country !== pudo.destination_country),
          'PUDO point in another country',
        ).pudo_id,
      },
      otherPartner: {
        homeDelivery: need(
          rated(other.partner_id, other.org_country_id).find((s) => s.delivery_type === 'home_delivery'),
          'home delivery service of the other partner',
        ).id,
      },
    },
    // A sandbox older than its Starship API serves fixtures without the section: its profile simply has none.
    ...((fixtures as Partial<Fixtures>).starship ? { starship: sandboxStarship(baseUrl, fixtures) } : {}),
    serviceIdCarries: 'id',
    feed: { takesLimit: true },
    hooks: sandboxHooks,
  };
}
