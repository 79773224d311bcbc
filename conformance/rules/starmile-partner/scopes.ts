// Checks that each operation needs exactly its documented scope (D8): 403 naming it without, success with only it.
import { expect } from '../../src/expect.ts';
import type { RuleContext } from '../../src/context.ts';
import { CHANGES, designed, EVENTS, ORDER, rule, S000, S001, seed } from './meta.ts';
import type { Res } from '../../src/http.ts';
import type { Scope } from '../../src/profile.ts';
import { cancelAfter, challenge, created, expectStatus, homeOrder, on, parcelEvent } from './lib.ts';

type Call = (t: RuleContext, token: string, attempt: 'denied' | 'allowed') => Promise<Res>;

function scopeCheck(scope: Scope, okStatus: number, prepare: (t: RuleContext) => Promise<Call>): (t: RuleContext) => Promise<void> {
  return async (t) => {
    const call = await prepare(t);
    const lacking = t.profile.credentials.narrow.find((c) => !c.scopes?.includes(scope))!;
    const denied = await call(t, await t.token(lacking), 'denied');
    expectStatus(denied, 403, `${lacking.clientId} lacks ${scope}`);
    on(denied, (body: { message?: string }) => {
      expect(body.message ?? '', 'the 403 message names the missing scope').toContain(scope);
      expect(challenge(denied), 'WWW-Authenticate of a 403').toMatch(new RegExp(`^Bearer\\b.*error="insufficient_scope".*scope="${scope}"`));
    });
    const allowed = await call(t, await t.token('full', scope), 'allowed');
    expectStatus(allowed, okStatus, `a token holding only ${scope}`);
  };
}

rule({
  id: 'SCOPE-LIST-SERVICES',
  level: 'MUST',
  operations: ['listServices'],
  tags: ['auth', 'scope', 'services'],
  title: 'listServices needs orders:create: without it 403 naming the scope, with only it 200.',
  source: designed('Services are read to create orders.', '/paths/~1api~1v1~1services/get/security', 'D8'),
  check: scopeCheck('orders:create', 200, async () => (t, token) => t.request({ path: '/api/v1/services', token })),
});
rule({
  id: 'SCOPE-LIST-RATES',
  level: 'MUST',
  operations: ['listRates'],
  tags: ['auth', 'scope', 'rates'],
  title: 'listRates needs orders:create: without it 403 naming the scope, with only it 200.',
  source: designed('Rates are read to create orders.', '/paths/~1api~1v1~1rates/get/security', 'D8'),
  check: scopeCheck('orders:create', 200, async () => (t, token) => t.request({ path: '/api/v1/rates', token })),
});
rule({
  id: 'SCOPE-CREATE-ORDER',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['auth', 'scope', 'orders'],
  title: 'createOrder needs orders:create: without it 403 naming the scope, with only it 201.',
  source: seed(S000, 'An ability on your credential that gates what you can call', 'D8'),
  check: scopeCheck('orders:create', 201, async () => async (t, token, attempt) => {
    const res = await t.request({ path: '/api/v1/orders', json: homeOrder(t), token });
    if (attempt === 'allowed' && res.status === 201) {
      const tracking = (res.body as { data: { order_id: string } }).data.order_id;
      cancelAfter(t, tracking);
    }
    return res;
  }),
});
rule({
  id: 'SCOPE-GET-ORDER',
  level: 'MUST',
  operations: ['getOrder'],
  tags: ['auth', 'scope', 'orders'],
  title: 'getOrder needs status:read: without it 403 naming the scope, with only it 200.',
  source: designed('Reading an order is a status endpoint.', `${ORDER}/security`, 'D8'),
  check: scopeCheck('status:read', 200, async (t) => {
    const order = await created(t, homeOrder(t));
    return (t2, token) => t2.request({ path: `/api/v1/orders/${order.tracking}`, token });
  }),
});
rule({
  id: 'SCOPE-UPDATE-PARCEL',
  level: 'MUST',
  operations: ['updateParcel'],
  tags: ['auth', 'scope', 'update'],
  title: 'updateParcel needs orders:update: without it 403 naming the scope, with only it 200.',
  source: seed(S001, 'Requires the orders:update scope.'),
  check: scopeCheck('orders:update', 200, async (t) => {
    const order = await created(t, homeOrder(t));
    return (t2, token) => t2.request({ method: 'PATCH', path: `/api/v1/orders/${order.tracking}/parcels/${order.parcels[0]!.parcel_id}`, json: { weight_grams: 1500 }, token });
  }),
});
rule({
  id: 'SCOPE-CANCEL-ORDER',
  level: 'MUST',
  operations: ['cancelOrder'],
  tags: ['auth', 'scope', 'cancel'],
  title: 'cancelOrder needs orders:cancel: without it 403 naming the scope, with only it 200.',
  source: seed(S001, 'Requires the orders:cancel scope.'),
  check: scopeCheck('orders:cancel', 200, async (t) => {
    const order = await created(t, homeOrder(t));
    order.settled = true;
    return (t2, token) => t2.request({ path: `/api/v1/orders/${order.tracking}/cancel`, json: { reason: 'scope check' }, token });
  }),
});
rule({
  id: 'SCOPE-LIST-CHANGES',
  level: 'MUST',
  operations: ['listChanges'],
  tags: ['auth', 'scope', 'feed'],
  title: 'listChanges needs status:read: without it 403 naming the scope, with only it 200.',
  source: designed('The status pool is a status endpoint.', `${CHANGES}/security`, 'D8'),
  check: scopeCheck('status:read', 200, async () => (t, token) => t.request({ path: '/api/v1/partner/changes', query: { limit: 1 }, token })),
});
rule({
  id: 'SCOPE-REPORT-EVENT',
  level: 'MUST',
  operations: ['reportEvent'],
  tags: ['auth', 'scope', 'events'],
  title: 'reportEvent needs events:transport: without it 403 naming the scope, with only it 202.',
  source: designed('Events are transport operations.', `${EVENTS}/security`, 'D8'),
  check: scopeCheck('events:transport', 202, async (t) => {
    const order = await created(t, homeOrder(t));
    return (t2, token) => t2.request({ path: '/api/v1/partner/events', json: parcelEvent(t2, 'parcel.measured', order.parcels[0]!.parcel_id, { weight_grams: 1500 }), token });
  }),
});
