// Checks that each operation needs exactly its documented scope (D8): 403 naming it without, success with only it.
import { expect } from '../../src/expect.ts';
import type { RuleContext } from '../../src/context.ts';
import { rule } from '../../src/define.ts';
import type { Res } from '../../src/http.ts';
import type { Scope } from '../../src/profile.ts';
import { cancelAfter, challenge, created, expectStatus, homeOrder, on, parcelEvent } from './lib.ts';

type Call = (t: RuleContext, token: string, attempt: 'denied' | 'allowed') => Promise<Res>;

function scopeRule(id: string, scope: Scope, okStatus: number, prepare: (t: RuleContext) => Promise<Call>): void {
  rule(id, async (t) => {
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
  });
}

scopeRule('SCOPE-LIST-SERVICES', 'orders:create', 200, async () => (t, token) => t.request({ path: '/api/v1/services', token }));
scopeRule('SCOPE-LIST-RATES', 'orders:create', 200, async () => (t, token) => t.request({ path: '/api/v1/rates', token }));
scopeRule('SCOPE-CREATE-ORDER', 'orders:create', 201, async () => async (t, token, attempt) => {
  const res = await t.request({ path: '/api/v1/orders', json: homeOrder(t), token });
  if (attempt === 'allowed' && res.status === 201) {
    const tracking = (res.body as { data: { order_id: string } }).data.order_id;
    cancelAfter(t, tracking);
  }
  return res;
});
scopeRule('SCOPE-GET-ORDER', 'status:read', 200, async (t) => {
  const order = await created(t, homeOrder(t));
  return (t2, token) => t2.request({ path: `/api/v1/orders/${order.tracking}`, token });
});
scopeRule('SCOPE-UPDATE-PARCEL', 'orders:update', 200, async (t) => {
  const order = await created(t, homeOrder(t));
  return (t2, token) => t2.request({ method: 'PATCH', path: `/api/v1/orders/${order.tracking}/parcels/${order.parcels[0]!.parcel_id}`, json: { weight_grams: 1500 }, token });
});
scopeRule('SCOPE-CANCEL-ORDER', 'orders:cancel', 200, async (t) => {
  const order = await created(t, homeOrder(t));
  order.settled = true;
  return (t2, token) => t2.request({ path: `/api/v1/orders/${order.tracking}/cancel`, json: { reason: 'scope check' }, token });
});
scopeRule('SCOPE-LIST-CHANGES', 'status:read', 200, async () => (t, token) => t.request({ path: '/api/v1/partner/changes', query: { limit: 1 }, token }));
scopeRule('SCOPE-REPORT-EVENT', 'events:transport', 202, async (t) => {
  const order = await created(t, homeOrder(t));
  return (t2, token) => t2.request({ path: '/api/v1/partner/events', json: parcelEvent(t2, 'parcel.measured', order.parcels[0]!.parcel_id, { weight_grams: 1500 }), token });
});
