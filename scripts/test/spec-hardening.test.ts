// The specs close the holes a hostile client found (issue 13): every validator sees the same contract, bounds are
// stated, references cannot shadow tracking numbers, webhooks are signed.
import { describe, expect, test } from 'vitest';
import { API_NAMES, type ApiName, loadSpec, validatorAt } from '../../contract/index.ts';

const APIS: readonly ApiName[] = API_NAMES;
type Node = Record<string, any>;

/** Every schema object of a spec with its JSON pointer, $refs left as they are. */
function schemas(api: ApiName): [string, Node][] {
  const out: [string, Node][] = [];
  const schema = (node: unknown, at: string): void => {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return;
    const n = node as Node;
    out.push([at, n]);
    for (const [p, s] of Object.entries((n.properties ?? {}) as Node)) schema(s, `${at}/properties/${p}`);
    for (const key of ['items', 'not', 'additionalProperties']) schema(n[key], `${at}/${key}`);
    for (const key of ['oneOf', 'anyOf', 'allOf'])
      for (const [i, s] of ((n[key] ?? []) as Node[]).entries()) schema(s, `${at}/${key}/${i}`);
  };
  const other = (node: unknown, at: string): void => {
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Node)) {
      if (key === 'example' || key === 'examples' || key.startsWith('x-')) continue;
      if (key === 'schema') schema(value, `${at}/schema`);
      else if (at === '#/components' && key === 'schemas')
        for (const [name, s] of Object.entries(value as Node)) schema(s, `#/components/schemas/${name}`);
      else other(value, `${at}/${key}`);
    }
  };
  other(loadSpec(api), '#');
  return out;
}

/** Request body schemas of every operation and webhook: [api, label, pointer segments]. */
function requestBodies(api: ApiName): [string, string[]][] {
  const spec = loadSpec(api);
  const out: [string, string[]][] = [];
  for (const section of ['paths', 'webhooks'] as const)
    for (const [path, item] of Object.entries((spec[section] ?? {}) as Node))
      for (const [method, op] of Object.entries(item as Node))
        for (const media of Object.keys(op?.requestBody?.content ?? {}))
          out.push([
            `${op.operationId} (${media})`,
            [section, path, method, 'requestBody', 'content', media, 'schema'],
          ]);
  return out;
}

describe('every validator sees the same contract', () => {
  test.each(
    APIS.flatMap((api) =>
      schemas(api)
        .filter(([, s]) => s.discriminator)
        .map(([at]) => [api, at] as const),
    ),
  )('%s %s: a discriminator schema says type: object', (api, at) => {
    const node = at
      .slice(2)
      .split('/')
      .reduce((n: Node, k) => n[k], loadSpec(api));
    // Ajv's discriminator mode checks the tag only on objects: without the type, null, [] or 1 pass.
    expect(node.type).toBe('object');
  });

  const objectBodies = APIS.flatMap((api) =>
    requestBodies(api).map(([label, pointer]) => [api, label, pointer] as const),
  ).filter(([api, , pointer]) => {
    const spec = loadSpec(api);
    let node = pointer.reduce((n: Node, k) => n[k], spec);
    if (node.$ref)
      node = (node.$ref as string)
        .slice(2)
        .split('/')
        .reduce((n: Node, k) => n[k], spec);
    return node.type === 'object' || node.discriminator || node.properties;
  });

  test.each(objectBodies)('%s %s refuses bodies that are not objects', (api, _label, pointer) => {
    const validate = validatorAt(api, ...pointer);
    for (const value of [null, [], 'x', 1, true, [{}]]) expect(validate(value), JSON.stringify(value)).toBe(false);
  });

  test.each(APIS.flatMap((api) => requestBodies(api).map(([label, pointer]) => [api, label, pointer] as const)))(
    '%s %s: every array states maxItems',
    (api, _label, pointer) => {
      const spec = loadSpec(api);
      const seen = new Set<Node>();
      const unbounded: string[] = [];
      const walk = (node: Node | undefined, at: string) => {
        if (!node || typeof node !== 'object' || seen.has(node)) return;
        seen.add(node);
        if (node.$ref)
          return walk(
            (node.$ref as string)
              .slice(2)
              .split('/')
              .reduce((n: Node, k) => n?.[k], spec),
            node.$ref,
          );
        if (node.items !== undefined && node.maxItems === undefined) unbounded.push(at);
        for (const key of ['items', 'not', 'additionalProperties'])
          if (node[key] && typeof node[key] === 'object') walk(node[key], `${at}/${key}`);
        for (const key of ['oneOf', 'anyOf', 'allOf'])
          for (const [i, s] of ((node[key] ?? []) as Node[]).entries()) walk(s, `${at}/${key}/${i}`);
        for (const [p, s] of Object.entries((node.properties ?? {}) as Node)) walk(s, `${at}/properties/${p}`);
      };
      walk(
        pointer.reduce((n: Node, k) => n[k], spec),
        pointer.join('/'),
      );
      // Arrays are checked for size before their items are validated; an array without maxItems could not be.
      expect(unbounded).toEqual([]);
    },
  );

  test.each(APIS)('%s uses no format whose meaning validators disagree on (email)', (api) => {
    expect(
      schemas(api)
        .filter(([, s]) => s.format === 'email')
        .map(([at]) => at),
    ).toEqual([]);
  });
});

describe('customer_email: exactly what the pattern says', () => {
  const email = () => loadSpec('starmile-partner').components.schemas.CreateOrderRequest.properties.customer_email;
  test.each([
    ['a@localhost', true],
    ['0@com', true],
    ['aysel.m+orders@example.az', true],
    ["o'brien@mail.example.co.uk", true],
    ['x@sub-domain.example', true],
    ['', false],
    ['a', false],
    ['@example.com', false],
    ['a@', false],
    ['a@@b', false],
    ['a b@example.com', false],
    ['.a@example.com', false],
    ['a..b@example.com', false],
    ['a.@example.com', false],
    ['a@-example.com', false],
    ['a@example-.com', false],
    ['a@example..com', false],
    ['a@example.com.', false],
    ['📦@example.com', false],
    ['a@exämple.com', false],
    ['a@example.com\n', false],
  ])('%j -> %s', (value, accepted) => {
    expect(email().format).toBeUndefined();
    expect(new RegExp(email().pattern, 'u').test(value)).toBe(accepted);
    // The whole schema (pattern and maxLength) agrees with the bare ECMA-262 pattern.
    const validate = validatorAt(
      'starmile-partner',
      'components',
      'schemas',
      'CreateOrderRequest',
      'properties',
      'customer_email',
    );
    expect(validate(value)).toBe(accepted);
  });
});

describe('partner references cannot shadow Starmile tracking numbers', () => {
  const create = () => validatorAt('starmile-partner', 'components', 'schemas', 'CreateOrderRequest');
  const body = (order_id: string, item_id?: string) => ({
    service_id: 5,
    order_id,
    parcels: [item_id === undefined ? {} : { item_id }],
  });
  test.each([
    ['an order tracking number as order_id', body('SM0000000014'), false],
    ['a parcel id as order_id', body('SP0000000001'), false],
    ['a parcel id as item_id', body('PO-1', 'SP0000000001'), false],
    ['an order tracking number as item_id', body('PO-1', 'SM0000000014'), false],
    ['a longer reference that starts like one', body('SM00000000140'), true],
    ['lower case', body('sm0000000014', 'sp0000000001'), true],
    ['a reference that contains one', body('PO-SM0000000014', 'PKG-SP0000000001'), true],
  ])('%s', (_name, value, accepted) => {
    expect(create()(value)).toBe(accepted);
  });

  test('the tracking numbers Starmile hands out have that shape (responses and the status pool)', () => {
    const s = loadSpec('starmile-partner').components.schemas;
    const shape = /^\^S\[?[MP]/;
    for (const [schema, field] of [
      ['CreatedOrder', 'order_id'],
      ['CreatedItem', 'parcel_id'],
      ['Order', 'order_id'],
      ['Parcel', 'parcel_id'],
      ['Change', 'tracking_number'],
      ['ChangeParcel', 'parcel_id'],
    ] as const)
      expect(s[schema].properties[field].pattern, `${schema}.${field}`).toMatch(shape);
  });
});

describe('error bodies are bounded', () => {
  test.each([
    ['starmile-partner', 'Error'],
    ['starship-rewards', 'Error'],
  ] as const)('%s %s lists a bounded number of fields and says how it marks more', (api, name) => {
    const errors = loadSpec(api).components.schemas[name].properties.errors;
    expect(errors.maxProperties).toBeGreaterThan(0);
    expect(errors.description).toContain(String(errors.maxProperties));
  });
});

describe('Starship webhooks are signed', () => {
  const spec = loadSpec('starship-rewards');
  test.each(Object.keys(spec.webhooks))('%s carries the required Starship-Signature header', (name) => {
    const parameters = (spec.webhooks[name].post.parameters ?? []).map((p: Node) =>
      p.$ref
        ? (p.$ref as string)
            .slice(2)
            .split('/')
            .reduce((n: Node, k) => n[k], spec)
        : p,
    );
    const header = parameters.find((p: Node) => p.in === 'header' && p.name === 'Starship-Signature');
    expect(header?.required).toBe(true);
    expect(header['x-source'].designed).toBeTruthy();
  });
});

describe('HEAD', () => {
  test.each(APIS)('%s says HEAD is answered wherever GET is', (api) => {
    expect(loadSpec(api).info.description).toMatch(/HEAD/);
  });
});
