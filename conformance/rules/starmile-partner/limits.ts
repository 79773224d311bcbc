// The limit cases of a request body, generated from the bundled spec: each bound (length, range, enum, format, item
// count, type) tried at the limit (accepted) and just past it (refused), in the class its x-source gives, so a new
// limit in the spec is tested without a new hand-written case.
import type { AssertionClass } from '../../registry/types.ts';
import type { DesignedPart, RuleContext } from '../../src/context.ts';
import { designedKeyword, pointerOf, type XSource } from '../../src/contract-check.ts';
import { thousands } from '../../src/numbers.ts';
import { resolve, type Schema, spec } from './spec.ts';

export interface LimitCase {
  /** The field path an error body names (dots, zero-based indices), e.g. `parcels.0.weight_grams`. */
  field: string;
  what: string;
  /** The value to put at `field`, made per run so references stay unique. */
  value: (t: RuleContext) => unknown;
  expect: 'accepted' | 'refused';
  class: AssertionClass;
  /** For a contract-class case: the designed limit it rests on. */
  part?: DesignedPart;
}

/**
 * The class of a field's keyword: documented when its x-source quotes the documents and does not name the keyword as
 * its designed part (a designed-only x-source has no seed, so all of its keywords are contract).
 */
const classOfKeyword = (x: XSource, keyword: string): AssertionClass =>
  x.seed && !designedKeyword(x, keyword) ? 'documented' : 'contract';

const refName = (node: Schema): string | undefined => node?.$ref?.split('/').pop();

/** Fills a string to exactly `length` characters, keeping a run-unique stem (references must be unique). */
const fill = (stem: string, length: number) => (stem + 'x'.repeat(Math.max(0, length))).slice(0, length);

/**
 * A valid address of exactly `length` characters: a local part of at most 64, domain labels of at most 63 (RFC 5321).
 */
function email(length: number): string {
  const local = 'x'.repeat(Math.min(64, length - 6));
  let rest = length - local.length - 1;
  const labels: string[] = [];
  while (rest > 63) {
    const n = Math.min(63, rest - 4);
    labels.push('a'.repeat(n));
    rest -= n + 1;
  }
  labels.push('c'.repeat(rest));
  return `${local}@${labels.join('.')}`;
}

/** Properties that must stay unique per partner: their at-limit values carry the run id. */
const UNIQUE = new Set(['order_id', 'item_id', 'merchant_tracking']);
/** Properties whose valid values come from the profile (ids, destinations) and have rules of their own. */
const SKIP = new Set(['service_id', 'pudo_id']);

/**
 * Every limit case of the properties of `schemaName`, recursively through arrays of objects (`parcels`, `products`),
 * field paths starting at `prefix`. `item` builds a valid element for an array property (a parcel, a product).
 */
export function limitCases(
  schemaName: string,
  item: (t: RuleContext, property: string) => unknown,
  prefix = '',
): LimitCase[] {
  const schema = resolve(spec().components.schemas[schemaName]);
  const cases: LimitCase[] = [];
  for (const [name, own] of Object.entries<Schema>(schema.properties ?? {})) {
    if (SKIP.has(name)) continue;
    const p = resolve(own);
    const x: XSource = own['x-source'] ?? p['x-source'] ?? {};
    const field = `${prefix}${name}`;
    const at = pointerOf([
      'components',
      'schemas',
      refName(own) ?? schemaName,
      ...(refName(own) ? [] : ['properties', name]),
    ]);
    const classOf = (keyword: string) => classOfKeyword(x, keyword);
    // The value's type (an integer, a number, a boolean) is its `type` keyword.
    const typeClass = classOf('type');
    const part = (why: string): DesignedPart => ({
      designed: x.designed ?? why,
      specLocation: at,
      ...(x.decision ? { decision: x.decision } : {}),
    });
    const push = (what: string, value: LimitCase['value'], expect: LimitCase['expect'], cls: AssertionClass) =>
      cases.push({
        field,
        what: `${field} ${what}`,
        value,
        expect,
        class: cls,
        ...(cls === 'contract' ? { part: part(`${field}: ${what}`) } : {}),
      });
    const types = [p.type].flat();
    if (types.includes('string')) {
      const isEmail = p.format === 'email';
      const pattern = p.pattern === undefined ? undefined : new RegExp(p.pattern, 'u');
      const fits = (v: string) => !pattern || pattern.test(v);
      const stem = (t: RuleContext) => (UNIQUE.has(name) ? t.ref(name.slice(0, 1)) : 'v');
      // A value of a given length that breaks nothing else: plain filler, or an address where the format or pattern
      // asks for one.
      const shapes = [(n: number, t?: RuleContext) => fill(t ? stem(t) : 'v', n), (n: number) => email(n)].filter(
        (_make, i) => (isEmail ? i === 1 : true),
      );
      const shapeFor = (n: number) => shapes.find((make) => fits(make(n)));
      const ofLength = (t: RuleContext, n: number) => shapeFor(n)!(n, t);
      if (pattern) {
        const breaking = ['not-an-email', 'not a match', '\u0000'].find(
          (v) => !pattern.test(v) && v.length >= (p.minLength ?? 0) && v.length <= (p.maxLength ?? Infinity),
        );
        if (breaking !== undefined) push('not matching its pattern', () => breaking, 'refused', classOf('pattern'));
      }
      // A length case needs a value of that length the pattern allows; without one the bound is tried through the
      // pattern case alone.
      if (p.maxLength !== undefined && shapeFor(p.maxLength) && shapeFor(p.maxLength + 1)) {
        push(
          `of ${thousands(p.maxLength)} characters (its maximum)`,
          (t) => ofLength(t, p.maxLength),
          'accepted',
          classOf('maxLength'),
        );
        push(
          `of ${thousands(p.maxLength + 1)} characters (one over its maximum)`,
          (t) => ofLength(t, p.maxLength + 1),
          'refused',
          classOf('maxLength'),
        );
      }
      if (p.minLength > 0)
        push(
          `of ${thousands(p.minLength - 1)} characters (under its minimum)`,
          () => 'x'.repeat(p.minLength - 1),
          'refused',
          classOf('minLength'),
        );
      if (isEmail) push('not an email address', () => 'not-an-email', 'refused', classOf('format'));
      if (p.enum) {
        for (const v of p.enum as string[]) push(`"${v}" (a documented value)`, () => v, 'accepted', classOf('enum'));
        push('outside its values', () => 'not-one-of-them', 'refused', classOf('enum'));
      }
    } else if (types.includes('integer') || types.includes('number')) {
      const integer = types.includes('integer');
      const step = integer ? 1 : 0.01;
      if (p.maximum !== undefined) {
        push(`${thousands(p.maximum)} (its maximum)`, () => p.maximum, 'accepted', classOf('maximum'));
        push(
          `${thousands(p.maximum + step)} (just over its maximum)`,
          () => Number((p.maximum + step).toFixed(2)),
          'refused',
          classOf('maximum'),
        );
        // A fraction just over an integer maximum must not be rounded down into range.
        if (integer) push(`${p.maximum}.5 (a fraction over its maximum)`, () => p.maximum + 0.5, 'refused', typeClass);
      }
      if (p.minimum !== undefined) {
        push(`${thousands(p.minimum)} (its minimum)`, () => p.minimum, 'accepted', classOf('minimum'));
        push(
          `${thousands(Number((p.minimum - step).toFixed(2)))} (just under its minimum)`,
          () => Number((p.minimum - step).toFixed(2)),
          'refused',
          classOf('minimum'),
        );
      }
      if (integer) push('not an integer (1.5)', () => 1.5, 'refused', typeClass);
      // A number sent as a string must not be coerced into range.
      else push('a string', () => String(p.maximum ?? 1), 'refused', typeClass);
    } else if (types.includes('boolean')) push('not a boolean', () => 'yes', 'refused', typeClass);
    else if (types.includes('array')) {
      const element = resolve(p.items ?? {});
      if (p.maxItems !== undefined) {
        push(
          `of ${p.maxItems} items (its maximum)`,
          (t) => Array.from({ length: p.maxItems }, () => item(t, name)),
          'accepted',
          classOf('maxItems'),
        );
        push(
          `of ${p.maxItems + 1} items (one over its maximum)`,
          (t) => Array.from({ length: p.maxItems + 1 }, () => item(t, name)),
          'refused',
          classOf('maxItems'),
        );
      }
      if (p.minItems > 0) push('empty (under its minimum)', () => [], 'refused', classOf('minItems'));
      const child = refName(p.items ?? {});
      if (element.type === 'object' && child) cases.push(...limitCases(child, item, `${field}.0.`));
    }
  }
  return cases;
}

/** Sets a value at a field path (`parcels.0.products.0.quantity`) in a copy of a body. */
export function withValue(body: unknown, field: string, value: unknown): Record<string, any> {
  const copy = structuredClone(body) as Record<string, any>;
  const keys = field.split('.');
  let node: any = copy;
  for (const k of keys.slice(0, -1)) node = node[k];
  node[keys.at(-1)!] = value;
  return copy;
}

/** The properties with a `default` in a request schema, recursively, as field paths with their defaults. */
export function defaults(schemaName: string, prefix = ''): { field: string; value: unknown; class: AssertionClass }[] {
  const schema = resolve(spec().components.schemas[schemaName]);
  return Object.entries<Schema>(schema.properties ?? {}).flatMap(([name, own]) => {
    const p = resolve(own);
    const x: XSource = own['x-source'] ?? p['x-source'] ?? {};
    const child = refName(p.items ?? {});
    if (p.type === 'array' && child) return defaults(child, `${prefix}${name}.0.`);
    return p.default === undefined
      ? []
      : [
          {
            field: `${prefix}${name}`,
            value: p.default,
            class: classOfKeyword(x, 'default'),
          },
        ];
  });
}

/**
 * Accepted cases grouped so that a group sets each field once (an array before the fields inside it): one request tries
 * a whole group, and only a group that is refused is tried case by case to say which value it was.
 */
export function rounds<C extends { field: string }>(cases: C[]): C[][] {
  const out: C[][] = [];
  for (const c of cases) {
    const round = out.find((r) => !r.some((x) => x.field === c.field));
    if (round) round.push(c);
    else out.push([c]);
  }
  return out.map((r) => [...r].sort((a, b) => a.field.split('.').length - b.field.split('.').length));
}

/** A body with every case of a group at its value, applied in order. */
export const withValues = (body: unknown, group: LimitCase[], t: RuleContext): Record<string, any> =>
  group.reduce((b, c) => withValue(b, c.field, c.value(t)), structuredClone(body) as Record<string, any>);
