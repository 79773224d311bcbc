// The rule over every response of the run: documented status, Content-Type and a body valid against the spec.
import { expect } from '../../src/expect.ts';
import { designed, PROTECTED, rule } from './meta.ts';
import { cancelled, created, getOrder, homeOrder, parcelEvent, reportEvent, updateParcel } from './lib.ts';

rule({
  id: 'GEN-RESPONSE-CONTRACT',
  level: 'MUST',
  operations: ['createToken', ...PROTECTED],
  tags: ['general'],
  title: 'Every response of the run has a documented status, the documented Content-Type and a body valid against the spec.',
  source: designed('Every response is checked against the contract.', '/paths'),
  serial: true,
  check: async (t) => {
    // Its own round of every operation, so the rule means something when run alone; the HTTP client checks each response.
    await t.request({ path: '/api/v1/services' });
    await t.request({ path: '/api/v1/rates' });
    await t.request({ path: '/api/v1/partner/changes', query: { limit: 5 } });
    const order = await created(t, homeOrder(t));
    await getOrder(t, order.tracking);
    await updateParcel(t, order.orderId, order.body.parcels[0]!.item_id!, { weight_grams: 1234 });
    await reportEvent(t, parcelEvent(t, 'parcel.measured', order.parcels[0]!.parcel_id, { weight_grams: 1234 }));
    await cancelled(t, order);
    await t.request({ path: '/api/v1/orders', json: {} });
    const violations = t.run.violations.map((v) => `${v.rule}: ${v.exchange.method} ${new URL(v.exchange.url).pathname} -> ${v.exchange.status}: ${v.exchange.problems.join('; ')}`);
    expect(violations, 'responses of this run that break the contract').toEqual([]);
  },
});
