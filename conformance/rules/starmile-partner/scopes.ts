// Checks that each operation needs exactly its scope (D8), the whole matrix both ways: every credential lacking it and every other scope alone is refused, the scope alone opens it.
import { expect } from '../../src/expect.ts';
import type { RuleContext } from '../../src/context.ts';
import { CHANGES, designed, EVENTS, ORDER, rule, S000, S001, seed } from './meta.ts';
import { at, FULL, ignoresScope } from '../../src/fault-kit.ts';
import type { Res } from '../../src/http.ts';
import { ALL_SCOPES, type Scope } from '../../src/profile.ts';
import { secrets } from '../../src/secrets.ts';
import { FORBIDDEN, SCOPE_MATRIX } from './designed.ts';
import { cancelAfter, challenge, created, expectRejected, expectStatus, homeOrder, on, parcelEvent } from './lib.ts';

type Call = (t: RuleContext, token: string) => Promise<Res>;

/** A token of the full credential narrowed to one scope (X1), fetched once per run here, so a server that cannot narrow fails this assertion, not the rule. */
const narrowed = (t: RuleContext, scope: Scope): Promise<string> => t.once(`narrowed token ${scope}`, () => narrowToken(t, scope));

async function narrowToken(t: RuleContext, scope: Scope): Promise<string> {
  const c = t.credential('full');
  const res = await t.http.request({ path: '/oauth/token', json: { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secret, scope } });
  const token = (res.body as { access_token?: unknown } | undefined)?.access_token;
  if (res.status !== 200 || typeof token !== 'string') throw Object.assign(new Error(`no token narrowed to ${scope}: ${res.status}`), { exchange: res.exchange });
  return secrets.add(token, `$STARMILE_TOKEN_${scope.toUpperCase().replace(/[^A-Z]+/g, '_')}`);
}

/**
 * Refused (in the rule's class): each profile credential lacking the scope. Designed (contract class): 403 naming the
 * scope; a token narrowed to any one other scope refused; a token narrowed to exactly this scope let through.
 */
function scopeCheck(scope: Scope, okStatus: number, prepare: (t: RuleContext) => Promise<Call>): (t: RuleContext) => Promise<void> {
  return async (t) => {
    const call = await prepare(t);
    for (const lacking of t.profile.credentials.narrow.filter((c) => !c.scopes?.includes(scope))) {
      const denied = await call(t, await t.token(lacking));
      const what = `${lacking.clientId} lacks ${scope}`;
      expectRejected(t, denied, 403, undefined, what);
      t.designed(FORBIDDEN, () =>
        on(denied, (body: { message?: string }) => {
          expect(body.message ?? '', `${what}: the 403 message names the missing scope`).toContain(scope);
          expect(challenge(denied), `${what}: WWW-Authenticate of a 403`).toMatch(new RegExp(`^Bearer\\b.*error="insufficient_scope".*scope="${scope}"`));
        }),
      );
    }
    await t.designed(SCOPE_MATRIX, async () => {
      for (const other of ALL_SCOPES.filter((s) => s !== scope)) {
        const res = await call(t, await narrowed(t, other));
        on(res, () => expect(res.status, `a token holding only ${other} must not open an operation needing ${scope}`).toBeGreaterThanOrEqual(400));
      }
      expectStatus(await call(t, await narrowed(t, scope)), okStatus, `a token holding only ${scope}`);
    });
  };
}

rule({
  id: 'SCOPE-LIST-SERVICES',
  level: 'MUST',
  operations: ['listServices'],
  tags: ['auth', 'scope', 'services'],
  title: 'listServices needs orders:create: every credential without it is refused; designed: 403 naming the scope, every other scope alone refused, orders:create alone 200.',
  source: designed('Services are read to create orders.', '/paths/~1api~1v1~1services/get/security', 'D8'),
  fault: ignoresScope(at.listServices),
  check: scopeCheck('orders:create', 200, async () => (t, token) => t.request({ path: '/api/v1/services', token })),
});
rule({
  id: 'SCOPE-LIST-RATES',
  level: 'MUST',
  operations: ['listRates'],
  tags: ['auth', 'scope', 'rates'],
  title: 'listRates needs orders:create: every credential without it is refused; designed: 403 naming the scope, every other scope alone refused, orders:create alone 200.',
  source: designed('Rates are read to create orders.', '/paths/~1api~1v1~1rates/get/security', 'D8'),
  fault: ignoresScope(at.listRates),
  check: scopeCheck('orders:create', 200, async () => (t, token) => t.request({ path: '/api/v1/rates', token })),
});
rule({
  id: 'SCOPE-CREATE-ORDER',
  level: 'MUST',
  operations: ['createOrder'],
  tags: ['auth', 'scope', 'orders'],
  title: 'createOrder needs orders:create: every credential without it is refused; designed: 403 naming the scope, every other scope alone refused, orders:create alone 201.',
  source: seed(S000, 'An ability on your credential that gates what you can call', 'D8'),
  fault: ignoresScope(at.createOrder),
  check: scopeCheck('orders:create', 201, async () => async (t, token) => {
    const res = await t.request({ path: '/api/v1/orders', json: homeOrder(t), token });
    if (res.status === 201) {
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
  title: 'getOrder needs status:read: every credential without it is refused; designed: 403 naming the scope, every other scope alone refused, status:read alone 200.',
  source: designed('Reading an order is a status endpoint.', `${ORDER}/security`, 'D8'),
  fault: ignoresScope(at.getOrder),
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
  title: 'updateParcel needs orders:update: every credential without it is refused; designed: 403 naming the scope, every other scope alone refused, orders:update alone 200.',
  source: seed(S001, 'Requires the orders:update scope.'),
  fault: ignoresScope(at.updateParcel),
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
  title: 'cancelOrder needs orders:cancel: every credential without it is refused; designed: 403 naming the scope, every other scope alone refused, orders:cancel alone 200.',
  source: seed(S001, 'Requires the orders:cancel scope.'),
  fault: ignoresScope(at.cancelOrder),
  moreFaults: [
    {
      bug: 'orders:update opens cancelOrder (the server checks "may change orders")',
      class: 'contract',
      fault: async (req, ctx) => {
        const held = ctx.scopesOf(req);
        if (at.cancelOrder(req) && held.includes('orders:update') && !held.includes('orders:cancel')) req.headers.authorization = `Bearer ${await ctx.tokenOf(FULL.client_id)}`;
        return ctx.upstream(req);
      },
    },
  ],
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
  title: 'listChanges needs status:read: every credential without it is refused; designed: 403 naming the scope, every other scope alone refused, status:read alone 200.',
  source: designed('The status pool is a status endpoint.', `${CHANGES}/security`, 'D8'),
  fault: ignoresScope(at.listChanges),
  check: scopeCheck('status:read', 200, async () => (t, token) => t.request({ path: '/api/v1/partner/changes', token })),
});
rule({
  id: 'SCOPE-REPORT-EVENT',
  level: 'MUST',
  operations: ['reportEvent'],
  tags: ['auth', 'scope', 'events'],
  title: 'reportEvent needs events:transport: every credential without it is refused; designed: 403 naming the scope, every other scope alone refused, events:transport alone 202.',
  source: designed('Events are transport operations.', `${EVENTS}/security`, 'D8'),
  fault: ignoresScope(at.reportEvent),
  check: scopeCheck('events:transport', 202, async (t) => {
    const order = await created(t, homeOrder(t));
    return (t2, token) => t2.request({ path: '/api/v1/partner/events', json: parcelEvent(t2, 'parcel.measured', order.parcels[0]!.parcel_id, { weight_grams: 1500 }), token });
  }),
});
