// Services and rates as a credential sees them: services of its warehouse with an active rate bound to its partner,
// rates of its partner.
import type { Credential, Fixtures } from '../../contract/sandbox-admin.ts';
import type { Rate, Service } from '../../contract/starmile-partner.ts';

const activeBindings = new WeakMap<Fixtures, Set<string>>();

/** Whether the partner holds an active rate bound to (partner, service, warehouse): only that enables a service. */
export function hasActiveRate(fixtures: Fixtures, partnerId: number, serviceId: number, warehouseId: number): boolean {
  let active = activeBindings.get(fixtures);
  if (!active) {
    active = new Set(
      fixtures.rates
        .filter((r) => r.status === 'active')
        .flatMap((r) => r.bindings.map((b) => `${b.partner_id}:${b.service_id}:${b.org_country_id}`)),
    );
    activeBindings.set(fixtures, active);
  }
  return active.has(`${partnerId}:${serviceId}:${warehouseId}`);
}

/**
 * The service a credential may order on, or undefined (published in its warehouse and actively rated for its partner).
 */
export function orderableService(fixtures: Fixtures, credential: Credential, serviceId: number): Service | undefined {
  const service = fixtures.services.find((s) => s.id === serviceId && s.org_country_id === credential.org_country_id);
  return service && hasActiveRate(fixtures, credential.partner_id, service.id, credential.org_country_id)
    ? service
    : undefined;
}

export function listServices(fixtures: Fixtures, credential: Credential): Service[] {
  return fixtures.services.filter(
    (s) =>
      s.org_country_id === credential.org_country_id &&
      hasActiveRate(fixtures, credential.partner_id, s.id, s.org_country_id),
  );
}

/** A clearance service `credential` may order: it needs no region fields, so a bare order is accepted. */
export const clearanceServiceOf = (fixtures: Fixtures, credential: Credential): Service | undefined =>
  listServices(fixtures, credential).find((s) => s.delivery_type === 'clearance');

/** Rates bound to the credential's partner, in any warehouse and any status; other partners' bindings are left out. */
export function listRates(fixtures: Fixtures, credential: Credential): Rate[] {
  return fixtures.rates
    .map((r) => ({ ...r, bindings: r.bindings.filter((b) => b.partner_id === credential.partner_id) }))
    .filter((r) => r.bindings.length > 0);
}
