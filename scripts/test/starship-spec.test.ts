// The bundled Starship spec states what issue 7 asks: a closed primary status, an open sub-status that keeps its
// literals in the types, the three webhooks, and the instant path's DELIVERED response.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSpec, requestBodyAt, schemaValidator, validatorAt } from '../../contract/index.ts';

const spec = loadSpec('starship-rewards');
const example = (name: string) => structuredClone(spec.components.examples[name].value);
const delivered = () => example('CreateOrderResponseExample');

describe('Order: status closed, sub_status open', () => {
  const validate = schemaValidator('starship-rewards', 'Order');
  it.each<[string, { given: Record<string, unknown>; want: boolean }]>([
    ['the instant-path example', { given: delivered(), want: true }],
    ['an unknown sub-status', { given: { ...delivered(), sub_status: 'SOMETHING_NEW' }, want: true }],
    ['an unknown sub-status in lower case', { given: { ...delivered(), sub_status: 'being_audited' }, want: true }],
    ['an empty sub-status', { given: { ...delivered(), sub_status: '' }, want: false }],
    ['a sub-status that is not a string', { given: { ...delivered(), sub_status: 42 }, want: false }],
    ['no sub-status', { given: (({ sub_status: _s, ...o }) => o)(delivered()), want: false }],
    ['an unknown primary status', { given: { ...delivered(), status: 'SHIPPED' }, want: false }],
    ['a primary status in lower case', { given: { ...delivered(), status: 'delivered' }, want: false }],
    ['no items', { given: { ...delivered(), items: [] }, want: false }],
    ['a field the contract does not define', { given: { ...delivered(), wallet: 'w_1' }, want: false }],
  ])('%s', (_name, { given, want }) => {
    expect(validate(given), JSON.stringify(validate.errors)).toBe(want);
  });

  it('lists the six primaries and the eighteen documented sub-statuses', () => {
    expect(spec.components.schemas.OrderStatus.enum).toEqual([
      'PLACED',
      'PENDING',
      'DELIVERED',
      'PARTIALLY_DELIVERED',
      'CANCELLED',
      'FAILED',
    ]);
    // Open (SX6): the known values, or any other non-empty string; written so that code generators keep the values.
    expect(spec.components.schemas.SubStatus.anyOf).toEqual([
      { $ref: '#/components/schemas/KnownSubStatus' },
      { type: 'string', minLength: 1 },
    ]);
    expect(spec.components.schemas.SubStatus).not.toHaveProperty('enum');
    expect(spec.components.schemas.KnownSubStatus.enum).toHaveLength(18);
  });

  it('the generated types keep the known sub-statuses for autocompletion and accept any string', () => {
    const types = readFileSync(new URL('../../generated/starship-rewards/schema.d.ts', import.meta.url), 'utf8');
    const known = (spec.components.schemas.KnownSubStatus.enum as string[]).map((s) => `"${s}"`).join(' | ');
    expect(types).toContain(`SubStatus: ${known} | (string & {});`);
    expect(types).toContain(
      'OrderStatus: "PLACED" | "PENDING" | "DELIVERED" | "PARTIALLY_DELIVERED" | "CANCELLED" | "FAILED";',
    );
  });
});

describe('POST /orders answers with the status its pipeline reached', () => {
  const response = spec.paths['/orders'].post.responses['201'].content['application/json'];
  it.each([
    ['CreateOrderResponseExample', 'DELIVERED', 'COMPLETED'],
    ['CreateOrderPendingResponseExample', 'PENDING', 'VENDOR_ORDER_PENDING'],
    ['CreateOrderBulkLimitResponseExample', 'CANCELLED', 'BULK_LIMIT_EXCEEDED'],
  ])('%s: %s · %s', (name, status, sub) => {
    expect(Object.keys(response.examples)).toContain(name);
    expect(example(name)).toMatchObject({ status, sub_status: sub });
  });

  it('the request body needs a product and a quantity of at least one', () => {
    const validate = validatorAt('starship-rewards', ...requestBodyAt('paths', '/orders', 'post'));
    expect(validate(example('CreateOrderRequestExample'))).toBe(true);
    expect(validate({ sku: 'AMZ-GC-25-EUR', quantity: 0 })).toBe(false);
    expect(validate({ quantity: 1 })).toBe(false);
  });
});

describe('webhooks', () => {
  it.each([
    ['order.pending', 'notifyOrderPending', 'PENDING'],
    ['order.delivered', 'notifyOrderDelivered', 'DELIVERED'],
    ['order.cancelled', 'notifyOrderCancelled', 'CANCELLED'],
  ])('%s: %s, unauthenticated, a payload whose order is %s', (name, operationId, status) => {
    const op = spec.webhooks[name].post;
    expect(op).toMatchObject({ operationId, security: [] });
    expect(Object.keys(op.responses)).toEqual(['204', '400']);
    const validate = validatorAt('starship-rewards', ...requestBodyAt('webhooks', name, 'post'));
    for (const ex of Object.values(
      op.requestBody.content['application/json'].examples as Record<string, { $ref: string }>,
    )) {
      const payload = example(ex.$ref.split('/').pop()!);
      expect(validate(payload), JSON.stringify(validate.errors)).toBe(true);
      expect(validate({ ...payload, type: 'order.other' })).toBe(false);
      expect(
        validate({ ...payload, order: { ...payload.order, status: status === 'PENDING' ? 'DELIVERED' : 'PENDING' } }),
      ).toBe(false);
    }
  });
});

describe('servers and security', () => {
  it('a {baseUrl} server defaulting to the sandbox prefix, a bearer key, the 2020-12 dialect', () => {
    expect(spec.servers).toEqual([
      expect.objectContaining({
        url: '{baseUrl}',
        variables: { baseUrl: expect.objectContaining({ default: 'http://localhost:4020/starship/v1' }) },
      }),
    ]);
    expect(spec.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(spec.jsonSchemaDialect).toBe('https://json-schema.org/draft/2020-12/schema');
  });
});
