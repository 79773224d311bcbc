// The sandbox-only Starship controls under /_sandbox/starship/ (openapi/sandbox-admin): the webhook target, escalation,
// settling, late cancellation, the delivery log.

import { fill } from '../../../contract/messages.ts';
import type {
  StarshipCancelRequest,
  StarshipControlResponse,
  StarshipEscalateRequest,
  StarshipSettleRequest,
  StarshipTransitionStep,
  StarshipWebhookLog,
  StarshipWebhookTarget,
  StarshipWebhookTargetResponse,
} from '../../../contract/sandbox-admin.ts';
import { messages as operator } from '../../../contract/sandbox-admin.ts';
import type { Order } from '../../../contract/starship-rewards.ts';
import type { BodyCheck } from '../bounded.ts';
import type { Ctx } from '../context.ts';
import { fail, jsonBody, type Reply } from '../http.ts';
import { shown } from '../lookup.ts';
import { bodyOf, checkBody, queryValidator } from '../validation.ts';
import { type StarshipState, starshipOf } from './state.ts';

const body = (path: string, method: string) => bodyOf('sandbox-admin', path, method);
const bodies = {
  target: body('/_sandbox/starship/webhook-target', 'put'),
  escalate: body('/_sandbox/starship/orders/{id}/escalate', 'post'),
  settle: body('/_sandbox/starship/orders/{id}/settle', 'post'),
  cancel: body('/_sandbox/starship/orders/{id}/cancel', 'post'),
};
const webhookQuery = queryValidator('sandbox-admin', '/_sandbox/starship/webhooks', 'get');

/** PUT /_sandbox/starship/webhook-target (setStarshipWebhookTarget). */
export async function setWebhookTarget(ctx: Ctx): Promise<Reply> {
  const target = checkBody<StarshipWebhookTarget>(bodies.target, await jsonBody(ctx.req));
  starshipOf(ctx.state).webhooks.url = target.url;
  return { status: 200, body: { data: { url: target.url } } satisfies StarshipWebhookTargetResponse };
}

/** GET /_sandbox/starship/webhooks (listStarshipWebhooks). */
export function listWebhooks(ctx: Ctx): Reply {
  const { order_id: orderId } = webhookQuery(ctx.query) as { order_id?: string };
  const log = starshipOf(ctx.state).webhooks.log;
  return {
    status: 200,
    body: {
      data: orderId === undefined ? log : log.filter((e) => e.order_id === orderId),
    } satisfies StarshipWebhookLog,
  };
}

/**
 * The shared shape of the order actions, in the order of checks of SB3: the body parses (400, 413,
 * 415), the order exists (404), the body is valid (422), the order is where the action starts (409).
 */
function orderAction<T>(
  validate: BodyCheck,
  refusal: (
    order: Order,
  ) => typeof operator.notEscalatable | typeof operator.notSettleable | typeof operator.notCancellableLate | undefined,
  act: (starship: StarshipState, order: Order, request: T) => StarshipTransitionStep[],
) {
  return async (ctx: Ctx): Promise<Reply> => {
    const raw = await jsonBody(ctx.req);
    const id = ctx.params[0]!;
    const starship = starshipOf(ctx.state);
    const order = starship.find(id);
    if (!order) throw fail(404, fill(operator.starshipOrderNotFound, { id: shown(id) }));
    const request = checkBody<T>(validate, raw);
    const why = refusal(order);
    if (why) throw fail(409, fill(why, { id: order.id, status: order.status, sub_status: order.sub_status }));
    const transitions = act(starship, order, request);
    return { status: 200, body: { data: { order, transitions } } satisfies StarshipControlResponse };
  };
}

/** POST /_sandbox/starship/orders/{id}/escalate (escalateStarshipOrder). */
export const escalate = orderAction<StarshipEscalateRequest>(
  bodies.escalate,
  (o) => (o.status === 'PENDING' && o.sub_status === 'VENDOR_ORDER_PENDING' ? undefined : operator.notEscalatable),
  (starship, o, r) => starship.escalate(o, r.outcome),
);

/** POST /_sandbox/starship/orders/{id}/settle (settleStarshipOrder). */
export const settle = orderAction<StarshipSettleRequest>(
  bodies.settle,
  (o) => (o.status === 'PARTIALLY_DELIVERED' ? undefined : operator.notSettleable),
  (starship, o, r) => starship.settle(o, r.outcome),
);

/**
 * POST /_sandbox/starship/orders/{id}/cancel (cancelStarshipOrder): CANCELLED has no exit, so a second cancellation is
 * 409 (SS6).
 */
export const cancelLate = orderAction<StarshipCancelRequest>(
  bodies.cancel,
  (o) => (o.status === 'DELIVERED' ? undefined : operator.notCancellableLate),
  (starship, o, r) => starship.cancelLate(o, r.refund),
);
