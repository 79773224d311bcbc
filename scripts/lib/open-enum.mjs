// Open enums (decision SX6): `anyOf` of a closed string enum and a plain string, the form every code generator
// keeps. The type generator turns one into `"A" | "B" | (string & {})`; the breaking-change diff compares it as the
// plain string it validates as.

/** @returns {(node: any) => any} a resolver of local `$ref`s in one bundled document */
export const localResolver = (doc) => (node) =>
  node?.$ref?.startsWith('#/')
    ? node.$ref
        .slice(2)
        .split('/')
        .reduce((n, key) => n?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc)
    : node;

const STRING_LIMITS = ['minLength', 'maxLength'];

/**
 * The parts of an open enum, or undefined: `known`, the documented values, and `open`, the plain string branch
 * (`type: string` with at most a length limit) that every known value satisfies, so the `anyOf` accepts exactly
 * what `open` accepts.
 */
export function openEnum(schema, resolve) {
  if (!Array.isArray(schema?.anyOf) || schema.anyOf.length !== 2) return undefined;
  const [known, open] = schema.anyOf.map(resolve);
  if (
    open?.type !== 'string' ||
    Object.keys(open).some(
      (k) => k !== 'type' && k !== 'description' && !STRING_LIMITS.includes(k) && !k.startsWith('x-'),
    )
  )
    return undefined;
  if (known?.type !== 'string' || !Array.isArray(known.enum) || !known.enum.every((v) => typeof v === 'string'))
    return undefined;
  const limit = {
    minLength: schema.minLength ?? open.minLength ?? 0,
    maxLength: Math.min(schema.maxLength ?? Infinity, open.maxLength ?? Infinity),
  };
  if (!known.enum.every((v) => v.length >= limit.minLength && v.length <= limit.maxLength)) return undefined;
  return { known: known.enum, open };
}

/**
 * A copy of a bundled document with every open enum replaced by the plain string it validates as (its other
 * keywords kept), for comparisons that must not mistake the `anyOf` form for a widened type.
 */
export function collapseOpenEnums(doc) {
  const copy = structuredClone(doc);
  const resolve = localResolver(copy);
  const seen = new Set();
  const walk = (node) => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    for (const value of Object.values(node)) walk(value);
    const found = openEnum(node, resolve);
    if (!found) return;
    delete node.anyOf;
    const { type, minLength, maxLength } = found.open;
    Object.assign(
      node,
      { type },
      minLength === undefined || node.minLength !== undefined ? {} : { minLength },
      maxLength === undefined || node.maxLength !== undefined ? {} : { maxLength },
    );
  };
  walk(copy);
  return copy;
}
