// Short names for the generated contract types the sandbox's handlers speak in.
import type { components as Partner } from '../../generated/starmile-partner/schema.d.ts';
import type { components as Admin } from '../../generated/sandbox-admin/schema.d.ts';

type S = Partner['schemas'];
type A = Admin['schemas'];

export type TokenRequest = S['TokenRequest'];
export type TokenResponse = S['TokenResponse'];
export type OAuthError = S['OAuthError'];
export type ErrorBody = S['Error'];
export type Service = S['Service'];
export type Rate = S['Rate'];
export type RateList = S['RateList'];
export type ServiceList = S['ServiceList'];
export type DeliveryType = S['DeliveryType'];
export type Product = S['Product'];
export type PackageType = S['PackageType'];
export type CreateOrderRequest = S['CreateOrderRequest'];
export type CreateOrderResponse = S['CreateOrderResponse'];
export type RegionStatus = S['RegionStatus'];
export type OrderStatus = S['OrderStatus'];
export type ParcelStatus = S['ParcelStatus'];
export type Parcel = S['Parcel'];
export type Order = S['Order'];
export type OrderResponse = S['OrderResponse'];
export type ParcelResponse = S['ParcelResponse'];
export type UpdateParcelRequest = S['UpdateParcelRequest'];
export type CancelOrderRequest = S['CancelOrderRequest'];
export type ChangeType = S['ChangeType'];
export type Change = S['Change'];
export type ChangeList = S['ChangeList'];
export type PartnerEvent = S['PartnerEvent'];
export type ParcelMeasuredEvent = S['ParcelMeasuredEvent'];
export type EventAcceptedResponse = S['EventAcceptedResponse'];
export type Scope = 'orders:create' | 'orders:update' | 'orders:cancel' | 'status:read' | 'events:transport';

export type Fixtures = A['Fixtures'];
export type Credential = A['Credential'];
export type RegionMappingRequest = A['RegionMappingRequest'];
export type RegionMappingResponse = A['RegionMappingResponse'];
export type AdvanceParcelRequest = A['AdvanceParcelRequest'];
export type AdvanceParcelResponse = A['AdvanceParcelResponse'];
export type ExpireTokensRequest = A['ExpireTokensRequest'];
export type ExpireTokensResponse = A['ExpireTokensResponse'];
export type PreloadOrdersRequest = A['PreloadOrdersRequest'];
export type PreloadOrdersResponse = A['PreloadOrdersResponse'];
