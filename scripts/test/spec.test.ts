// The bundled Starmile spec states the rules the issue and the decisions require.

import { describe, expect, test } from 'vitest';
import { loadSpec } from '../../contract/index.ts';
import { scopes } from '../../contract/starmile-partner.ts';

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

  test('the documented scopes (those its quote lists), the token URL, and the generated scope list', () => {
    const oauth2 = spec.components.securitySchemes.oauth2;
    const flow = oauth2.flows.clientCredentials;
    expect(flow.tokenUrl).toBe('/oauth/token');
    expect(Object.keys(flow.scopes).sort()).toEqual(oauth2['x-source'].quote.match(/[a-z]+:[a-z]+/g).sort());
    expect(scopes).toEqual(Object.keys(flow.scopes));
  });

  // Each field keeps the limits it must have (a limit dropped from the schema fails here), and the sentence it rests on
  // (a quote, or the designed part) states the same number the schema does.
  test.each<[string, string[]]>([
    ['shipping_cost', ['minimum', 'maximum']],
    ['order_id', ['maxLength']],
    ['customer_phone', ['maxLength']],
    ['zip', ['maxLength']],
    ['notes', ['maxLength']],
    ['customer_email', ['maxLength']],
  ])('createOrder body: %s carries its documented limits (%s)', (field, keywords) => {
    const property = spec.components.schemas.CreateOrderRequest.properties[field];
    expect(['minimum', 'maximum', 'maxLength'].filter((k) => k in property)).toEqual(keywords);
    const limits: number[] = keywords.map((k) => property[k]);
    const source = `${property['x-source'].quote ?? ''} ${property['x-source'].designed ?? ''}`;
    for (const limit of limits)
      expect(
        [String(limit), limit.toLocaleString('en-US')].some((written) => new RegExp(`\\b${written}\\b`).test(source)),
        `${limit} in ${source}`,
      ).toBe(true);
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
