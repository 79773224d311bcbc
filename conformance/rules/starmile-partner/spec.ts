// The facts the Starmile rules read from the bundled spec (a schema's limits, the page size, the reserved reference shape), so no rule restates what the spec states.
import { loadSpec } from '../../../contract/index.ts';

export type Schema = Record<string, any>;

export const spec = () => loadSpec('starmile-partner');
/** Follows a `$ref` (and the refs it leads to) to the node it names. */
export const resolve = (node: Schema): Schema => (node?.$ref ? resolve(node.$ref.slice(2).split('/').reduce((o: Schema, k: string) => o[k.replace(/~1/g, '/')], spec())) : node);

/** The schema of a property of a component schema, through array items: `property('CreateOrderRequest', 'parcels', 'weight_grams')`. */
export function property(schemaName: string, ...path: string[]): Schema {
  let node = resolve(spec().components.schemas[schemaName]);
  for (const name of path) {
    if (node.type === 'array') node = resolve(node.items);
    node = resolve(node.properties[name]);
  }
  return node;
}

/** The status pool's `limit` parameter (X4): a page's least and most entries, and the size of a page without it. */
export const pageLimit = (): { minimum: number; maximum: number; default: number } => resolve(resolve(spec().components.parameters.Limit).schema) as never;

/** The shape of a tracking number, which partner references may not take (X11): the `not` of `order_id`, anchored. */
export const reservedReference = (): RegExp => new RegExp(property('CreateOrderRequest', 'order_id').not.pattern, 'u');

/** The largest body the API reads (X7), in bytes: the size the 413's description states ("larger than 1 MiB"). */
export function bodyCap(): number {
  const mib = /larger than (\d+) MiB/.exec(resolve(spec().components.responses.PayloadTooLarge).description)?.[1];
  if (!mib) throw new Error('the PayloadTooLarge response no longer states the body cap in MiB');
  return Number(mib) * 1024 * 1024;
}

/** The operation object of an operationId. */
function operation(operationId: string): Schema {
  for (const item of Object.values<Schema>(spec().paths)) for (const op of Object.values<Schema>(item)) if (op?.operationId === operationId) return op;
  throw new Error(`no operation ${operationId} in the Partner spec`);
}

/** The one scope an operation's `security` requires (D8). */
export function scopeOf(operationId: string): string {
  const scopes = (operation(operationId).security ?? spec().security ?? []).flatMap((r: Record<string, string[]>) => Object.values(r).flat());
  if (scopes.length !== 1) throw new Error(`${operationId} requires ${scopes.length} scopes, the scope rules expect one`);
  return scopes[0];
}

