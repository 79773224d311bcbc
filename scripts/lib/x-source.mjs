// Checks the x-source extension: every operation, every webhook and every schema property says where it comes from.
import { HTTP_METHODS as METHODS } from '../../contract/specs.mjs';
import { checkQuote } from './seeds.mjs';

/** Problems with one x-source value found at `where`; `node` is the schema it annotates, if any. */
function checkValue(value, where, node) {
  if (value === undefined) return [`${where}: no x-source`];
  if (typeof value !== 'object' || value === null) return [`${where}: x-source must be an object`];
  const keys = Object.keys(value);
  const unknown = keys.filter((k) => !['seed', 'quote', 'designed', 'designedKeywords', 'decision'].includes(k));
  if (unknown.length) return [`${where}: unknown x-source keys ${unknown.join(', ')}`];
  if (!value.seed && !value.designed) return [`${where}: x-source needs seed+quote or designed`];
  if (value.designed !== undefined && (typeof value.designed !== 'string' || value.designed.length < 8))
    return [`${where}: x-source.designed must say why`];
  // Which keywords of a documented field are the designed part (the rest rest on the quote); absent, all of them.
  if (value.designedKeywords !== undefined) {
    const list = value.designedKeywords;
    if (
      !value.seed ||
      !value.designed ||
      !Array.isArray(list) ||
      !list.length ||
      list.some((k) => typeof k !== 'string')
    )
      return [`${where}: x-source.designedKeywords is a non-empty list of keywords, beside both seed and designed`];
    const missing = node ? list.filter((k) => !(k in node)) : [];
    if (missing.length)
      return [`${where}: x-source.designedKeywords names ${missing.join(', ')}, which the schema does not have`];
  }
  if (value.decision !== undefined && !/^[A-Z]{1,2}\d+$/.test(value.decision))
    return [`${where}: x-source.decision must be a decision id such as D1`];
  if (value.seed) {
    const why = checkQuote(value.seed, value.quote);
    if (why) return [`${where}: ${why}`];
  } else if (value.quote) return [`${where}: a quote needs its seed`];
  return [];
}

/** Properties: each either has its own x-source or is a $ref to a schema that has one. */
function checkSchema(schema, where, problems, seen) {
  if (!schema || typeof schema !== 'object' || seen.has(schema)) return;
  seen.add(schema);
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    if (!prop.$ref) problems.push(...checkValue(prop['x-source'], `${where}.properties.${name}`, prop));
    checkSchema(prop, `${where}.properties.${name}`, problems, seen);
  }
  for (const key of ['items', 'additionalProperties']) checkSchema(schema[key], `${where}.${key}`, problems, seen);
  for (const key of ['oneOf', 'anyOf', 'allOf'])
    for (const [i, s] of (schema[key] ?? []).entries()) checkSchema(s, `${where}.${key}[${i}]`, problems, seen);
}

/** @param {object} bundled a bundled (not dereferenced) OpenAPI document */
export function checkXSource(bundled) {
  const problems = [];
  const operations = [
    ...Object.entries(bundled.paths ?? {}).map(([p, item]) => [`paths.${p}`, item]),
    ...Object.entries(bundled.webhooks ?? {}).map(([w, item]) => [`webhooks.${w}`, item]),
  ];
  for (const [where, item] of operations)
    for (const m of METHODS) if (item[m]) problems.push(...checkValue(item[m]['x-source'], `${where}.${m}`));
  for (const [name, schema] of Object.entries(bundled.components?.schemas ?? {})) {
    problems.push(...checkValue(schema['x-source'], `components.schemas.${name}`, schema));
    checkSchema(schema, `components.schemas.${name}`, problems, new Set());
  }
  return problems;
}
