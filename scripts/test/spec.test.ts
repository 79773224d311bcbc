// The bundled Starmile spec states the rules the issue and the decisions require.
import { loadSpec } from '../../contract/index.ts';
import { describe, expect, test } from 'vitest';

const spec = loadSpec('starmile-partner');
const ops = Object.entries(spec.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([m]) => ['get', 'post', 'patch', 'put', 'delete'].includes(m))
    .map(([method, op]) => ({ path, method, op })),
);

describe('starmile spec', () => {
  test.each(ops.filter((o) => o.path !== '/oauth/token').map((o) => [o.op.operationId, o]))(
    '%s names one scope and documents 401 and 403',
    (_id, { op }) => {
      const scopes = op.security?.[0]?.oauth2 ?? spec.security[0].oauth2;
      expect(scopes).toHaveLength(1);
      expect(Object.keys(spec.components.securitySchemes.oauth2.flows.clientCredentials.scopes)).toContain(scopes[0]);
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['401', '403']));
    },
  );

  test('the five documented scopes and the token URL', () => {
    const flow = spec.components.securitySchemes.oauth2.flows.clientCredentials;
    expect(flow.tokenUrl).toBe('/oauth/token');
    expect(Object.keys(flow.scopes).sort()).toEqual(['events:transport', 'orders:cancel', 'orders:create', 'orders:update', 'status:read']);
  });

  test.each([
    ['shipping_cost', { minimum: 0, maximum: 1_000_000 }],
    ['order_id', { maxLength: 255 }],
    ['customer_phone', { maxLength: 64 }],
    ['zip', { maxLength: 32 }],
    ['notes', { maxLength: 1000 }],
    ['customer_email', { maxLength: 255 }],
  ])('createOrder body: %s carries its documented limit', (field, want) => {
    expect(spec.components.schemas.CreateOrderRequest.properties[field]).toMatchObject(want);
  });

  test('at least one parcel, package_type enum, grams and millimetres are integers, 3-letter currency', () => {
    const s = spec.components.schemas;
    expect(s.CreateOrderRequest.properties.parcels.minItems).toBe(1);
    expect(s.PackageType.enum).toEqual(['fragile', 'breakable', 'liquid']);
    expect(s.Grams.type).toBe('integer');
    expect(s.Millimetres.type).toBe('integer');
    expect(s.Product.properties.currency.pattern).toBe('^[A-Z]{3}$');
  });

  test('decision D2: parcels[].item_id is optional; D4: no stale quick-start fields', () => {
    const s = spec.components.schemas;
    expect(s.NewParcel.required ?? []).not.toContain('item_id');
    expect(s.CreateOrderRequest.properties).not.toHaveProperty('external_parent_id');
    expect(s.CreateOrderRequest.properties).not.toHaveProperty('items');
  });

  test('jsonSchemaDialect is 2020-12 and a server variable lets users point at their own host', () => {
    expect(spec.jsonSchemaDialect).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(spec.servers.map((s: { url: string }) => s.url)).toEqual(['https://api.starmile.io', '{baseUrl}']);
  });
});
