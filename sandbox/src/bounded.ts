// Validates a request body against its spec schema in bounded time with a bounded error list: arrays are measured
// before their items are validated, unknown fields are counted before Ajv sees them, and validation stops once the list
// is full.
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import {
  type ApiName,
  compileSchema,
  loadSpec,
  toFieldErrors,
  validatorAt,
  validatorMessages,
} from '../../contract/index.ts';

// biome-ignore lint/suspicious/noExplicitAny: schemas are walked by keyword; Ajv has already checked what they hold
type Schema = Record<string, any>;

/** The bounds the contract's error body states (Error.errors: maxProperties, and the length of a field path). */
const errorsSchema = loadSpec('starmile-partner').components.schemas.Error.properties.errors as Schema;
export const MAX_LISTED_FIELDS: number = errorsSchema.maxProperties;
const MAX_PATH: number = errorsSchema.propertyNames.maxLength - 1;

/** A field path as the error body names it: dots, zero-based indices, `body` for the whole, cut when absurdly long. */
export function fieldPath(segments: readonly string[]): string {
  const path = segments.join('.') || 'body';
  return path.length > MAX_PATH ? `${path.slice(0, MAX_PATH)}…` : path;
}

/**
 * The field errors of one request, in the order found; stops taking new fields once it holds one more than it may list.
 */
export class FieldErrors {
  readonly fields = new Map<string, string[]>();
  get full(): boolean {
    return this.fields.size > MAX_LISTED_FIELDS;
  }
  add(field: string, message: string): void {
    const path = field.length > MAX_PATH ? `${field.slice(0, MAX_PATH)}…` : field;
    let messages = this.fields.get(path);
    if (!messages) {
      if (this.full) return;
      messages = [];
      this.fields.set(path, messages);
    }
    if (!messages.includes(message)) messages.push(message);
  }
  get size(): number {
    return this.fields.size;
  }
}

/** One node of a body schema: its own keywords compiled without the children that are checked on their own. */
interface Plan {
  validate: ValidateFunction;
  /** Declared properties when no others are allowed: unknown ones are reported, and removed before Ajv runs. */
  known?: Set<string>;
  children: [string, Plan][];
  items?: { plan: Plan; max?: number };
  branches?: { tag: string; plans: Map<string, Plan> };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every `#/...` reference made absolute (`<api>#/...`), so a schema cut out of the document still resolves them. */
function absolute(api: ApiName, node: unknown): unknown {
  if (Array.isArray(node)) return node.map((n) => absolute(api, n));
  if (!isObject(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node))
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${api}${v}` : absolute(api, v);
  return out;
}

class Planner {
  private readonly spec: Schema;
  private readonly plans = new Map<string, Plan>();
  constructor(private readonly api: ApiName) {
    this.spec = loadSpec(api);
  }

  /** Follows $refs from a pointer to the schema it names. */
  private resolve(pointer: string[]): { pointer: string[]; node: Schema } {
    let node: Schema = pointer.reduce((n: Schema, k) => n[k], this.spec);
    while (typeof node.$ref === 'string') {
      pointer = (node.$ref as string).slice(2).split('/');
      node = pointer.reduce((n: Schema, k) => n[k], this.spec);
    }
    return { pointer, node };
  }

  /** A child worth checking on its own: an object with properties, an array, or a discriminated union. */
  private complex(pointer: string[]): boolean {
    const { node } = this.resolve(pointer);
    return node.properties !== undefined || node.items !== undefined || node.discriminator !== undefined;
  }

  plan(at: string[]): Plan {
    const { pointer, node } = this.resolve(at);
    const key = pointer.join('/');
    const cached = this.plans.get(key);
    if (cached) return cached;
    // Registered before its children are planned, so a schema that contains itself ends.
    const plan: Plan = { validate: undefined as unknown as ValidateFunction, children: [] };
    this.plans.set(key, plan);
    if (node.discriminator && Array.isArray(node.oneOf)) {
      const tag = node.discriminator.propertyName as string;
      const plans = new Map<string, Plan>();
      node.oneOf.forEach((_: unknown, i: number) => {
        const branch = this.resolve([...pointer, 'oneOf', String(i)]);
        plans.set(branch.node.properties[tag].const, this.plan(branch.pointer));
      });
      plan.branches = { tag, plans };
      // For a tag no branch has: Ajv then reports the tag alone.
      plan.validate = validatorAt(this.api, ...pointer);
      return plan;
    }
    const shell: Schema = { ...node };
    if (node.properties) {
      shell.properties = { ...node.properties };
      for (const name of Object.keys(node.properties)) {
        const child = [...pointer, 'properties', name];
        if (!this.complex(child)) continue;
        plan.children.push([name, this.plan(child)]);
        shell.properties[name] = true;
      }
      if (node.additionalProperties === false) plan.known = new Set(Object.keys(node.properties));
    }
    if (node.items !== undefined) {
      plan.items = {
        plan: this.plan([...pointer, 'items']),
        ...(node.maxItems === undefined ? {} : { max: node.maxItems }),
      };
      delete shell.items;
    }
    plan.validate =
      plan.children.length || plan.items
        ? compileSchema(absolute(this.api, shell) as object)
        : validatorAt(this.api, ...pointer);
    return plan;
  }
}

const planners = new Map<ApiName, Planner>();

/** The message of one Ajv error; a `not` says what it refuses through its own `description`. */
function messages(validate: ValidateFunction, error: ErrorObject, prefix: string): Record<string, string[]> {
  const found = toFieldErrors([error], prefix);
  if (error.keyword !== 'not') return found;
  const refused = error.schemaPath
    .replace(/^#\//, '')
    .split('/')
    .reduce((n: Schema | undefined, k) => n?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], validate.schema as Schema) as
    | Schema
    | undefined;
  const why =
    typeof refused?.description === 'string' ? `must not have ${refused.description}` : 'must not have this form';
  return Object.fromEntries(Object.keys(found).map((path) => [path, [why]]));
}

function walk(plan: Plan, value: unknown, path: string[], out: FieldErrors): void {
  if (out.full) return;
  if (plan.branches && isObject(value)) {
    const tag = value[plan.branches.tag];
    const branch = typeof tag === 'string' ? plan.branches.plans.get(tag) : undefined;
    if (branch) {
      walk(branch, value, path, out);
      return;
    }
  }
  let checked = value;
  if (plan.known && isObject(value)) {
    let unknown = false;
    // for…in stops as soon as the list is full, without first listing every key of a huge object.
    for (const key in value) {
      if (plan.known.has(key)) continue;
      unknown = true;
      out.add(fieldPath([...path, key]), validatorMessages.notAField);
      if (out.full) return;
    }
    if (unknown) {
      const kept: Record<string, unknown> = {};
      for (const key of plan.known) if (Object.hasOwn(value, key)) kept[key] = value[key];
      checked = kept;
    }
  }
  if (!plan.validate(checked))
    for (const error of plan.validate.errors ?? [])
      for (const [field, texts] of Object.entries(messages(plan.validate, error, path.join('.'))))
        for (const text of texts) out.add(field, text);
  if (isObject(checked))
    for (const [name, child] of plan.children)
      if (Object.hasOwn(checked, name)) walk(child, checked[name], [...path, name], out);
  if (plan.items && Array.isArray(checked) && (plan.items.max === undefined || checked.length <= plan.items.max))
    for (let i = 0; i < checked.length && !out.full; i++) walk(plan.items.plan, checked[i], [...path, String(i)], out);
}

export type BodyCheck = (value: unknown) => FieldErrors | null;

/**
 * The checker of the schema at a pointer into a spec: null when the value is valid, the field errors (bounded)
 * otherwise.
 */
export function bodyCheck(api: ApiName, ...pointer: string[]): BodyCheck {
  let planner = planners.get(api);
  if (!planner) {
    planner = new Planner(api);
    planners.set(api, planner);
  }
  const plan = planner.plan(pointer);
  return (value) => {
    const out = new FieldErrors();
    walk(plan, value, [], out);
    return out.size ? out : null;
  };
}
