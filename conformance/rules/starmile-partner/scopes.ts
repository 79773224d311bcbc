// Checks that each operation needs exactly its scope (D8), the whole matrix both ways: every credential lacking it and
// every other scope alone is refused, the scope alone opens it.

import {
  scopes as ALL_SCOPES,
  type OperationId,
  operationFacts,
  type Scope,
} from '../../../contract/starmile-partner.ts';
import type { RuleSource } from '../../registry/types.ts';
import type { RuleContext } from '../../src/context.ts';
import type { RuleDefinition } from '../../src/define.ts';
import { expect } from '../../src/expect.ts';
import { at, FULL, ignoresScope } from '../../src/fault-kit.ts';
import type { Res } from '../../src/http.ts';
import { FORBIDDEN, SCOPE_MATRIX } from './designed.ts';
import {
  asError,
  cancelAfter,
  challenge,
  created,
  expectRejected,
  expectStatus,
  homeOrder,
  on,
  parcelEvent,
} from './lib.ts';
import { CHANGES, designed, EVENTS, ORDER, rule, S000, S001, seed } from './meta.ts';

type Call = (t: RuleContext, token: string) => Promise<Res>;
type MoreFault = NonNullable<RuleDefinition['moreFaults']>[number];

/**
 * A token of the full credential narrowed to one scope (X1), fetched once per run here, so a server that cannot narrow
 * fails this assertion, not the rule: `t.token(who, scope)` would block the rule by TOKEN-SCOPE-NARROWING instead, and a
 * blocked rule fails its documented verdict for a designed reason. The token is registered as `t.token`'s are (masked,
 * with its curl recipe).
 */
const narrowed = (t: RuleContext, scope: Scope): Promise<string> =>
  t.once(`narrowed token ${scope}`, () => narrowToken(t, scope));

async function narrowToken(t: RuleContext, scope: Scope): Promise<string> {
  const c = t.credential('full');
  const res = await t.http.request({
    path: '/oauth/token',
    json: { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secret, scope },
  });
  const token = (res.body as { access_token?: unknown } | undefined)?.access_token;
  if (res.status !== 200 || typeof token !== 'string')
    throw Object.assign(new Error(`no token narrowed to ${scope}: ${res.status}`), { exchange: res.exchange });
  return t.run.registerToken(c, token, scope);
}

/**
 * Refused (in the rule's class): each profile credential lacking the scope. Designed (contract class): 403 naming the
 * scope; a token narrowed to any one other scope refused; a token narrowed to exactly this scope let through.
 */
function scopeCheck(
  scope: Scope,
  okStatus: number,
  prepare: (t: RuleContext) => Promise<Call>,
): (t: RuleContext) => Promise<void> {
  return async (t) => {
    const call = await prepare(t);
    for (const lacking of t.profile.credentials.narrow.filter((c) => !c.scopes?.includes(scope))) {
      const denied = await call(t, await t.token(lacking));
      const what = `${lacking.clientId} lacks ${scope}`;
      expectRejected(t, denied, 403, undefined, what);
      t.designed(FORBIDDEN, () =>
        on(asError(denied), (body) => {
          expect(body?.message ?? '', `${what}: the 403 message names the missing scope`).toContain(scope);
          expect(challenge(denied), `${what}: WWW-Authenticate of a 403`).toMatch(
            new RegExp(`^Bearer\\b.*error="insufficient_scope".*scope="${scope}"`),
          );
        }),
      );
    }
    await t.designed(SCOPE_MATRIX, async () => {
      for (const other of ALL_SCOPES.filter((s) => s !== scope)) {
        const res = await call(t, await narrowed(t, other));
        on(res, () =>
          expect(
            res.status,
            `a token holding only ${other} must not open an operation needing ${scope}`,
          ).toBeGreaterThanOrEqual(400),
        );
      }
      expectStatus(await call(t, await narrowed(t, scope)), okStatus, `a token holding only ${scope}`);
    });
  };
}

/** The scopes of changing a parcel and of cancelling, which a server may confuse. */
const [UPDATE] = operationFacts.updateParcel.scopes;
const [CANCEL] = operationFacts.cancelOrder.scopes;

/**
 * The operations that need a scope, each with its rule: id, tag, source, the status of success, the call (made ready
 * per rule), and any sharper fault.
 */
const SCOPE_RULES: [
  id: string,
  operation: OperationId & keyof typeof at,
  tag: string,
  source: RuleSource,
  ok: number,
  prepare: (t: RuleContext) => Promise<Call>,
  moreFaults?: MoreFault[],
][] = [
  [
    'SCOPE-LIST-SERVICES',
    'listServices',
    'services',
    designed('Services are read to create orders.', '/paths/~1api~1v1~1services/get/security', 'D8'),
    200,
    async () => (t, token) => t.request({ path: '/api/v1/services', token }),
  ],
  [
    'SCOPE-LIST-RATES',
    'listRates',
    'rates',
    designed('Rates are read to create orders.', '/paths/~1api~1v1~1rates/get/security', 'D8'),
    200,
    async () => (t, token) => t.request({ path: '/api/v1/rates', token }),
  ],
  [
    'SCOPE-CREATE-ORDER',
    'createOrder',
    'orders',
    seed(S000, 'An ability on your credential that gates what you can call', 'D8'),
    201,
    async () => async (t, token) => {
      const res = await t.request({ path: '/api/v1/orders', json: homeOrder(t), token });
      if (res.status === 201) {
        const tracking = (res.body as { data: { order_id: string } }).data.order_id;
        cancelAfter(t, tracking);
      }
      return res;
    },
  ],
  [
    'SCOPE-GET-ORDER',
    'getOrder',
    'orders',
    designed('Reading an order is a status endpoint.', `${ORDER}/security`, 'D8'),
    200,
    async (t) => {
      const order = await created(t, homeOrder(t));
      return (t2, token) => t2.request({ path: `/api/v1/orders/${order.tracking}`, token });
    },
  ],
  [
    'SCOPE-UPDATE-PARCEL',
    'updateParcel',
    'update',
    seed(S001, 'Requires the orders:update scope.'),
    200,
    async (t) => {
      const order = await created(t, homeOrder(t));
      return (t2, token) =>
        t2.request({
          method: 'PATCH',
          path: `/api/v1/orders/${order.tracking}/parcels/${order.parcels[0]!.parcel_id}`,
          json: { weight_grams: 1500 },
          token,
        });
    },
  ],
  [
    'SCOPE-CANCEL-ORDER',
    'cancelOrder',
    'cancel',
    seed(S001, 'Requires the orders:cancel scope.'),
    200,
    async (t) => {
      const order = await created(t, homeOrder(t));
      order.settled = true;
      return (t2, token) =>
        t2.request({ path: `/api/v1/orders/${order.tracking}/cancel`, json: { reason: 'scope check' }, token });
    },
    [
      {
        bug: `${UPDATE} opens cancelOrder (the server checks "may change orders")`,
        class: 'contract',
        fault: async (req, ctx) => {
          const held = ctx.scopesOf(req);
          if (at.cancelOrder(req) && held.includes(UPDATE) && !held.includes(CANCEL))
            req.headers.authorization = `Bearer ${await ctx.tokenOf(FULL.client_id)}`;
          return ctx.upstream(req);
        },
      },
    ],
  ],
  [
    'SCOPE-LIST-CHANGES',
    'listChanges',
    'feed',
    designed('The status pool is a status endpoint.', `${CHANGES}/security`, 'D8'),
    200,
    async () => (t, token) => t.request({ path: '/api/v1/partner/changes', token }),
  ],
  [
    'SCOPE-REPORT-EVENT',
    'reportEvent',
    'events',
    designed('Events are transport operations.', `${EVENTS}/security`, 'D8'),
    202,
    async (t) => {
      const order = await created(t, homeOrder(t));
      return (t2, token) =>
        t2.request({
          path: '/api/v1/partner/events',
          json: parcelEvent(t2, 'parcel.measured', order.parcels[0]!.parcel_id, { weight_grams: 1500 }),
          token,
        });
    },
  ],
];

// Each operation needs the one scope its `security` names in the spec (D8).
for (const [id, operation, tag, source, ok, prepare, moreFaults] of SCOPE_RULES) {
  const [scope] = operationFacts[operation].scopes;
  rule({
    id,
    level: 'MUST',
    operations: [operation],
    tags: ['auth', 'scope', tag],
    title: `${operation} needs ${scope}: every credential without it is refused; designed: 403 naming the scope, every other scope alone refused, ${scope} alone ${ok}.`,
    source,
    fault: ignoresScope(at[operation]),
    ...(moreFaults ? { moreFaults } : {}),
    check: scopeCheck(scope, ok, prepare),
  });
}
