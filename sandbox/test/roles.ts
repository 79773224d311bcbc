// The fixtures the sandbox tests use, named by the role they play and found in sandbox/fixtures.json, so no test writes
// an id.
import { listServices } from '../src/catalogue.ts';
import { credentialOfRole, loadFixtures } from '../src/fixtures.ts';

const fixtures = loadFixtures();

/** The one fixture `list` holds for a role; a fixture file without it stops the tests here, naming the role. */
function one<T>(list: T[], role: string): T {
  if (!list[0]) throw new Error(`sandbox/fixtures.json has no ${role}`);
  return list[0];
}

const full = credentialOfRole(fixtures, 'full');
const orderable = listServices(fixtures, full);
const ofType = (type: string) =>
  one(
    orderable.filter((s) => s.delivery_type === type),
    `orderable ${type} service`,
  ).id;
const pudoService = one(
  orderable.filter((s) => s.delivery_type === 'pudo'),
  'orderable pudo service',
);

/** Credentials, by role. */
export const credentials = {
  /** Every scope, in the first warehouse of its partner. */
  full,
};

/** Services, by role, as `sm_test_full` sees them unless said otherwise. */
export const services = {
  /** Home delivery (the mapped region pairs are its partner's); it enables consolidation. */
  homeDelivery: one(
    orderable.filter((s) => s.delivery_type === 'home_delivery' && s.consolidation_enabled),
    'orderable home delivery service with consolidation',
  ).id,
  /** Customs clearance only; it does not enable consolidation. */
  clearance: one(
    orderable.filter((s) => s.delivery_type === 'clearance' && !s.consolidation_enabled),
    'orderable clearance service without consolidation',
  ).id,
  pudo: pudoService.id,
  locker: ofType('locker'),
  /** Cross docking; it enables consolidation. */
  crossDocking: one(
    orderable.filter((s) => s.delivery_type === 'cross_docking' && s.consolidation_enabled),
    'orderable cross docking service with consolidation',
  ).id,
  /** Published in the warehouse, but its only rate is inactive: not orderable. */
  inactiveRate: one(
    fixtures.services.filter((s) => s.org_country_id === full.org_country_id && !orderable.some((o) => o.id === s.id)),
    'service without an active rate',
  ).id,
  /** Orderable by the other-warehouse credential, in another warehouse than the full credential's. */
  otherWarehouse: one(
    listServices(fixtures, credentialOfRole(fixtures, 'other-warehouse')).filter(
      (s) => s.org_country_id !== full.org_country_id,
    ),
    'service of another warehouse',
  ).id,
  /** Orderable by the other-partner credential. */
  otherPartner: one(listServices(fixtures, credentialOfRole(fixtures, 'other-partner')), "another partner's service")
    .id,
  /** No service has it. */
  unknown: Math.max(...fixtures.services.map((s) => s.id)) + 1,
};

/** PUDO points, by role, for the PUDO service above. */
export const pudoPoints = {
  pudo: one(
    fixtures.pudo_points.filter((p) => p.kind === 'pudo' && p.country === pudoService.destination_country),
    'pudo point',
  ).pudo_id,
  locker: one(
    fixtures.pudo_points.filter((p) => p.kind === 'locker' && p.country === pudoService.destination_country),
    'locker',
  ).pudo_id,
  /** In another country than the PUDO service's destination. */
  abroad: one(
    fixtures.pudo_points.filter((p) => p.country !== pudoService.destination_country),
    'point abroad',
  ).pudo_id,
  /** No point has it. */
  unknown: Math.max(...fixtures.pudo_points.map((p) => p.pudo_id)) + 1,
};
