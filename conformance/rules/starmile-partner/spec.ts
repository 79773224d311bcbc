// The facts the Starmile rules read from the bundled spec (a schema's limits, the page size, the reserved reference
// shape), so no rule restates what the spec states.
import { loadSpec } from '../../../contract/index.ts';
import { resolveRef } from '../../src/contract-check.ts';

export type Schema = Record<string, any>;

export const spec = () => loadSpec('starmile-partner');
/** Follows a `$ref` (and the refs it leads to) to the node it names. */
export const resolve = (node: Schema): Schema => resolveRef(spec(), node);

/**
 * The schema of a property of a component schema, through array items: `property('CreateOrderRequest', 'parcels',
 * 'weight_grams')`.
 */
export function property(schemaName: string, ...path: string[]): Schema {
  let node = resolve(spec().components.schemas[schemaName]);
  for (const name of path) {
    if (node.type === 'array') node = resolve(node.items);
    node = resolve(node.properties[name]);
  }
  return node;
}

/** The status pool's `limit` parameter (X4): a page's least and most entries, and the size of a page without it. */
export const pageLimit = (): { minimum: number; maximum: number; default: number } =>
  resolve(resolve(spec().components.parameters.Limit).schema) as never;

/** The shape of a tracking number, which partner references may not take (X11): the `not` of `order_id`, anchored. */
export const reservedReference = (): RegExp => new RegExp(property('CreateOrderRequest', 'order_id').not.pattern, 'u');

/** The realm of the API's Bearer challenges (D6): the `x-realm` of its OAuth2 scheme. */
export const realm = (): string => spec().components.securitySchemes.oauth2['x-realm'];

/** The largest body the API reads (X7), in bytes (`info.x-request-limits.bodyBytes`). */
export const bodyCap = (): number => spec().info['x-request-limits'].bodyBytes;
