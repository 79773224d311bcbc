// Short names for the generated Starship contract types and the sandbox-admin types of its controls.
import type { components as Starship } from '../../../generated/starship-rewards/schema.d.ts';
import type { components as Admin } from '../../../generated/sandbox-admin/schema.d.ts';

type S = Starship['schemas'];
type A = Admin['schemas'];

export type Order = S['Order'];
export type OrderItem = S['OrderItem'];
export type CreateOrderRequest = S['CreateOrderRequest'];
export type OrderEvent = S['OrderPendingEvent'] | S['OrderDeliveredEvent'] | S['OrderCancelledEvent'];

export type StarshipFixtures = A['StarshipFixtures'];
export type StarshipAccount = A['StarshipAccount'];
export type StarshipProduct = A['StarshipProduct'];
export type StarshipWebhookTarget = A['StarshipWebhookTarget'];
export type StarshipWebhookTargetResponse = A['StarshipWebhookTargetResponse'];
export type StarshipEscalateRequest = A['StarshipEscalateRequest'];
export type StarshipSettleRequest = A['StarshipSettleRequest'];
export type StarshipCancelRequest = A['StarshipCancelRequest'];
export type StarshipTransitionStep = A['StarshipTransitionStep'];
export type StarshipControlResponse = A['StarshipControlResponse'];
export type StarshipWebhookDelivery = A['StarshipWebhookDelivery'];
export type StarshipWebhookLog = A['StarshipWebhookLog'];
