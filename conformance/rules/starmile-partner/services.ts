// Checks of the services and rates lists: the credential's warehouse, active rates only, the partner's rates only.

import type { Rate, RateList, Service, ServiceList } from '../../../contract/starmile-partner.ts';
import type { RuleContext, Who } from '../../src/context.ts';
import { expect } from '../../src/expect.ts';
import { at, FULL, fx, response } from '../../src/fault-kit.ts';
import { RATE_BINDINGS } from './designed.ts';
import { expectStatus, serviceKey } from './lib.ts';
import { designed, rule, S003, seed } from './meta.ts';

async function services(t: RuleContext, as: Who = 'full'): Promise<Service[]> {
  const res = await t.request<ServiceList>({ path: '/api/v1/services', as });
  expectStatus(res, 200);
  return res.body.data;
}

async function rates(t: RuleContext, as: Who = 'full'): Promise<Rate[]> {
  const res = await t.request<RateList>({ path: '/api/v1/rates', as });
  expectStatus(res, 200);
  return res.body.data;
}

rule({
  id: 'SERVICES-WAREHOUSE',
  level: 'MUST',
  operations: ['listServices'],
  tags: ['services'],
  title:
    "Services are those of the credential's warehouse: another warehouse's service is not listed, and is listed for that warehouse's credential.",
  source: seed(S003, 'services to the warehouse (tenant) it is bound to'),
  fixtures: ['otherWarehouse'],
  fault: response(
    at.listServices,
    (res) =>
      void res.json?.data.push(
        ...fx.services.filter((s) => s.org_country_id !== FULL.org_country_id).map(({ ...s }) => s),
      ),
  ),
  check: async (t) => {
    t.needFixture('otherWarehouse');
    const key = serviceKey(t);
    const mine = await services(t);
    const theirs = await services(t, 'otherWarehouse');
    // Services are told apart by their own id: with flow ids as service_id, one flow may run in both warehouses.
    const other = theirs.find((s) => key(s) === t.fixtures.services.otherWarehouse);
    expect(
      other,
      `the other warehouse's credential lists its service ${t.fixtures.services.otherWarehouse}`,
    ).toBeDefined();
    expect(
      mine.map((s) => s.id),
      "the other warehouse's service is not listed",
    ).not.toContain(other!.id);
    const home = mine.find((s) => key(s) === t.fixtures.services.homeDelivery);
    expect(
      theirs.map((s) => s.id),
      "this warehouse's home delivery service is not listed for the other warehouse",
    ).not.toContain(home?.id);
    const warehouses = new Set(mine.map((s) => s.org_country_id));
    expect(warehouses.size, 'every listed service is of one warehouse').toBe(1);
    expect(
      theirs.some((s) => warehouses.has(s.org_country_id)),
      'the other warehouse lists none of this warehouse',
    ).toBe(false);
  },
});

rule({
  id: 'SERVICES-DELIVERY-TYPE',
  level: 'MUST',
  operations: ['listServices'],
  tags: ['services'],
  title: 'Every fixture service is listed with its delivery_type and consolidation_enabled.',
  source: designed(
    'The Service carries the delivery type and consolidation.',
    '/components/schemas/Service/properties/delivery_type',
    'X8',
  ),
  fault: response(at.listServices, (res) => {
    if (res.json) for (const s of res.json.data) if (s.delivery_type === 'pudo') s.delivery_type = 'locker';
  }),
  check: async (t) => {
    const list = await services(t);
    const s = t.fixtures.services;
    const byId = new Map(list.map((x) => [serviceKey(t)(x), x]));
    for (const [id, type] of [
      [s.homeDelivery, 'home_delivery'],
      [s.pudo, 'pudo'],
      [s.locker, 'locker'],
      [s.clearance, 'clearance'],
      [s.crossDocking, 'cross_docking'],
    ] as const) {
      expect(byId.has(id), `service ${id} (${type}) is listed`).toBe(true);
      expect(byId.get(id)?.delivery_type, `service ${id} delivery_type`).toBe(type);
    }
    expect(
      byId.get(s.withConsolidation)?.consolidation_enabled,
      `service ${s.withConsolidation} consolidation_enabled`,
    ).toBe(true);
    expect(
      byId.get(s.withoutConsolidation)?.consolidation_enabled,
      `service ${s.withoutConsolidation} consolidation_enabled`,
    ).toBe(false);
  },
});

rule({
  id: 'SERVICES-ACTIVE-RATE',
  level: 'MUST',
  operations: ['listServices', 'listRates'],
  tags: ['services', 'rates'],
  title:
    "Only services with an active rate of the partner's are listed (a rate's service_id is the service's flow_definition_id); a published service without one is not. Designed: a binding of that rate names the service's own id.",
  source: seed(S003, 'This lists only the services you are contracted for — the ones you hold an active rate on.'),
  fault: response(at.listServices, (res, _req, ctx) => {
    if (ctx.ownerOf(_req) !== FULL.client_id) return;
    const listed = new Set(res.json.data.map((s: any) => s.id));
    res.json.data.push(...fx.services.filter((s) => s.org_country_id === FULL.org_country_id && !listed.has(s.id)));
  }),
  check: async (t) => {
    const [list, priced] = await Promise.all([services(t), rates(t)]);
    expect(list.map(serviceKey(t)), `the unrated service ${t.fixtures.services.unrated} is not listed`).not.toContain(
      t.fixtures.services.unrated,
    );
    for (const service of list) {
      // 003: a Rate's service_id is "The flow this rate prices — matches a Service's flow_definition_id".
      const active = priced.filter((r) => r.status === 'active' && r.service_id === service.flow_definition_id);
      expect(
        active.length,
        `listed service ${service.id} (flow ${service.flow_definition_id}) has an active rate`,
      ).toBeGreaterThan(0);
      t.designed(RATE_BINDINGS, () =>
        expect(
          active.some((r) => r.bindings.some((b) => b.service_id === service.id)),
          `an active rate of service ${service.id} binds it by its own id`,
        ).toBe(true),
      );
    }
  },
});

rule({
  id: 'RATES-PARTNER',
  level: 'MUST',
  operations: ['listRates'],
  tags: ['rates'],
  title:
    'Only rates bound to the caller\'s partner account are listed (003: "Returns only the rates bound to your partner account."), as the designed bindings show.',
  source: designed(
    'The documents say the list holds only the rates bound to your partner account (003); only the designed bindings let a client see which partner a rate is bound to.',
    '/components/schemas/RateBinding',
    'D7',
  ),
  fault: response(at.listRates, (res) => {
    if (res.json) res.json.data = fx.rates;
  }),
  check: async (t) => {
    for (const who of ['full', 'otherPartner'] as const) {
      const list = await rates(t, who);
      const partnerId = t.credential(who).partnerId;
      // Without a partner id in the profile, all rates must at least share one bound partner: the caller.
      const [first, ...others] = list.map((r) => new Set(r.bindings.map((b) => b.partner_id)));
      const common = first && [...first].filter((id) => others.every((ids) => ids.has(id)));
      expect(list.length, `${who} has rates`).toBeGreaterThan(0);
      if (partnerId !== undefined)
        for (const r of list)
          expect(
            r.bindings.map((b) => b.partner_id),
            `rate ${r.id} listed for ${who} is bound to partner ${partnerId}`,
          ).toContain(partnerId);
      else expect(common?.length ?? 0, `every rate listed for ${who} is bound to one same partner`).toBeGreaterThan(0);
    }
  },
});
