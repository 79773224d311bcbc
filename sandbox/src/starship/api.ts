// The Starship Rewards API of the sandbox (POST /orders, GET /orders/{id} under /starship/v1): bearer API keys, request
// checks, the order as the spec shapes it.
import type { IncomingMessage } from 'node:http';
import { fill } from '../../../contract/messages.ts';
import type { StarshipAccount } from '../../../contract/sandbox-admin.ts';
import { type CreateOrderRequest, realms, messages as say } from '../../../contract/starship-rewards.ts';
import type { Ctx } from '../context.ts';
import { BODY_CAP, fail, HttpError, mediaType, parseJson, type Reply, readBody } from '../http.ts';
import { shown } from '../lookup.ts';
import { bodyOf, listed } from '../validation.ts';
import { STARSHIP_PREFIX } from './prefix.ts';
import { starshipOf } from './state.ts';

const createOrderBody = bodyOf('starship-rewards', '/orders', 'post');
const NOT_PLACED = say.notPlaced;

/** The account of the `Authorization: Bearer <api key>` header; anything else is 401 before the body is looked at. */
function account(ctx: Ctx): StarshipAccount {
  const header = ctx.req.headers.authorization;
  const key = header === undefined ? undefined : /^Bearer +(\S+) *$/i.exec(header)?.[1];
  const found = key === undefined ? undefined : starshipOf(ctx.state).accounts.get(key);
  if (found) return found;
  // RFC 6750 §3: a request that sent no credentials gets the bare challenge, a wrong one the error code.
  const challenge = `Bearer realm="${realms.bearerAuth}"${header === undefined ? '' : ', error="invalid_token"'}`;
  throw fail(401, say.unauthorized, undefined, { 'WWW-Authenticate': challenge });
}

/**
 * The body of POST /orders. The operation documents 422 as its only answer to a bad body, so an
 * oversized, non-JSON or unparseable body is a 422 naming `body` (decision SS4).
 */
async function orderBody(req: IncomingMessage): Promise<CreateOrderRequest> {
  let raw: Buffer;
  try {
    raw = await readBody(req);
  } catch (error) {
    if (error instanceof HttpError && error.status === 413)
      throw fail(422, NOT_PLACED, { body: [`is larger than ${BODY_CAP}`] }, error.headers);
    throw error;
  }
  if (mediaType(req) !== 'application/json')
    throw fail(422, NOT_PLACED, { body: ['must be sent as application/json'] });
  let parsed: unknown;
  try {
    parsed = parseJson(raw);
  } catch (error) {
    throw fail(
      422,
      NOT_PLACED,
      error instanceof HttpError
        ? (error.body as { errors: Record<string, string[]> }).errors
        : { body: ['is not JSON'] },
    );
  }
  const problems = createOrderBody(parsed);
  if (problems) {
    const { errors, more } = listed(problems);
    throw fail(422, NOT_PLACED, errors, undefined, more);
  }
  return parsed as CreateOrderRequest;
}

/** POST /starship/v1/orders (createOrder). */
export async function createOrder(ctx: Ctx): Promise<Reply> {
  const owner = account(ctx);
  const body = await orderBody(ctx.req);
  const starship = starshipOf(ctx.state);
  const product = starship.products.get(body.sku);
  if (!product)
    throw fail(422, NOT_PLACED, { sku: [`is not a product of the sandbox (GET /_sandbox/fixtures lists them)`] });
  const order = starship.createOrder(owner, product, body);
  return { status: 201, body: order, headers: { Location: `${STARSHIP_PREFIX}/orders/${order.id}` } };
}

/** GET /starship/v1/orders/{id} (getOrder): another account's order is as unknown as a missing one. */
export function getOrder(ctx: Ctx): Reply {
  const owner = account(ctx);
  const id = ctx.params[0]!;
  const order = starshipOf(ctx.state).find(id, owner.api_key);
  if (!order) throw fail(404, fill(say.orderNotFound, { id: shown(id) }));
  return { status: 200, body: order };
}
