// What `init` can tell from the Partner API's own answers to one credential: the partner and warehouse it acts for (its
// rate bindings, its services) and the profile's fixture services (by delivery type and consolidation, rated or not).

import { loadSpec } from '../../../contract/index.ts';
import type { Rate, Service } from '../../../contract/starmile-partner.ts';
import type { ProfileInput, ServiceIdField } from '../profile.ts';

export type FixtureServices = ProfileInput['fixtures']['services'];

/** What one credential's token reads: GET /api/v1/services and GET /api/v1/rates. */
export interface Seen {
  services: Service[];
  rates: Rate[];
}

/** One value of the profile and where it came from, or why it could not be told. */
export interface Finding<T> {
  value?: T;
  why: string;
}

const only = <T>(values: T[]): T | undefined => (new Set(values).size === 1 ? values[0] : undefined);

/** The partner a credential acts for and the warehouse it is bound to, when its answers name exactly one of each. */
export function tenantOf(seen: Seen): { partnerId?: number; warehouseId?: number } {
  const partnerId = only(seen.rates.flatMap((r) => r.bindings.map((b) => b.partner_id)));
  const warehouseId = only(seen.services.map((s) => s.org_country_id));
  return { ...(partnerId === undefined ? {} : { partnerId }), ...(warehouseId === undefined ? {} : { warehouseId }) };
}

/** The listed services the credential may order on: an active rate binds its partner, the service and its warehouse. */
export function ratedServices(seen: Seen): Service[] {
  const { partnerId, warehouseId } = tenantOf(seen);
  const active = seen.rates.filter((r) => r.status === 'active').flatMap((r) => r.bindings);
  return seen.services.filter((s) =>
    active.some(
      (b) =>
        b.service_id === s.id &&
        (partnerId === undefined || b.partner_id === partnerId) &&
        (warehouseId === undefined || b.org_country_id === warehouseId),
    ),
  );
}

/** The profile's field for a delivery type: home_delivery -> homeDelivery. */
const field = (type: string) => type.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()) as keyof FixtureServices;

/**
 * Every fixture service the answers tell, each with where it came from; the values are what the server takes as
 * service_id.
 */
export function fixtureServices(
  full: Seen,
  carries: ServiceIdField,
): Partial<Record<keyof FixtureServices, Finding<number>>> {
  const rated = ratedServices(full);
  const value = (s: Service) => s[carries];
  const out: Partial<Record<keyof FixtureServices, Finding<number>>> = {};
  for (const type of loadSpec('starmile-partner').components.schemas.DeliveryType.enum as string[]) {
    const s = rated.find((x) => x.delivery_type === type);
    out[field(type)] = s
      ? { value: value(s), why: `service ${s.id}, ${s.name}` }
      : { why: `no service of delivery type ${type} with an active rate is listed` };
  }
  for (const [name, enabled] of [
    ['withConsolidation', true],
    ['withoutConsolidation', false],
  ] as const) {
    const s = rated.find((x) => x.consolidation_enabled === enabled);
    out[name] = s
      ? { value: value(s), why: `service ${s.id}, consolidation_enabled ${enabled}` }
      : { why: `no service with an active rate has consolidation_enabled ${enabled}` };
  }
  // Bound to this partner and warehouse, but by no active rate: a service the partner may not order on.
  const { partnerId, warehouseId } = tenantOf(full);
  const mine = (b: Rate['bindings'][number]) =>
    (partnerId === undefined || b.partner_id === partnerId) &&
    (warehouseId === undefined || b.org_country_id === warehouseId);
  const activeIds = new Set(
    full.rates.filter((r) => r.status === 'active').flatMap((r) => r.bindings.filter(mine).map((b) => b.service_id)),
  );
  const unrated = full.rates.flatMap((r) =>
    r.bindings.filter((b) => mine(b) && !activeIds.has(b.service_id)).map((b) => ({ rate: r, binding: b })),
  )[0];
  out.unrated = unrated
    ? {
        value: carries === 'id' ? unrated.binding.service_id : unrated.rate.service_id,
        why: `service ${unrated.binding.service_id}, bound by the ${unrated.rate.status} rate ${unrated.rate.id} and by no active one`,
      }
    : { why: 'no rate binds a service of this partner and warehouse without an active rate binding it too' };
  return out;
}

/** The first service another credential may order on of a delivery type (any type when none is given). */
export function firstRated(seen: Seen, carries: ServiceIdField, type?: string): Finding<number> {
  const s = ratedServices(seen).find((x) => type === undefined || x.delivery_type === type);
  return s
    ? { value: s[carries], why: `service ${s.id}, ${s.name}` }
    : { why: `no ${type ? `${type} ` : ''}service with an active rate is listed` };
}
