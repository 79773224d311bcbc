// The spec's named examples, typed, so client tests send and receive the same bodies as Prism, the docs and the
// sandbox.
import { loadSpec } from '../../../contract/index.ts';
import type { components } from '../../src/schema.js';

type Schemas = components['schemas'];

function example<T>(name: string): T {
  const found: unknown = loadSpec('starmile-partner').components?.examples?.[name]?.value;
  if (found === undefined) throw new Error(`no example ${name} in generated/starmile-partner/openapi.json`);
  return structuredClone(found) as T;
}

export const examples = {
  createOrder: () => example<Schemas['CreateOrderRequest']>('CreateOrderRequestExample'),
  createOrderResponse: () => example<Schemas['CreateOrderResponse']>('CreateOrderResponseExample'),
  getOrderResponse: () => example<Schemas['OrderResponse']>('GetOrderResponseExample'),
  updateParcel: () => example<Schemas['UpdateParcelRequest']>('UpdateParcelRequestExample'),
  cancelOrder: () => example<Schemas['CancelOrderRequest']>('CancelOrderRequestExample'),
  cancelOrderResponse: () => example<Schemas['OrderResponse']>('CancelOrderResponseExample'),
  changes: () => example<Schemas['ChangeList']>('ListChangesResponseExample'),
  reportEvent: () => example<Schemas['PartnerEvent']>('ReportEventRequestExample'),
  tooManyRequests: () => example<Schemas['Error']>('TooManyRequestsExample'),
  unauthorized: () => example<Schemas['Error']>('UnauthorizedExample'),
  invalidClient: () => example<Schemas['OAuthError']>('CreateTokenInvalidClientExample'),
  invalidScope: () => example<Schemas['OAuthError']>('CreateTokenInvalidScopeExample'),
};
