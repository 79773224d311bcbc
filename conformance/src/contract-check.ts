// The check every response of every rule goes through (documented status, Content-Type, body valid against the spec),
// each finding classified: documented (the published documents state it) or designed.
import { type ApiName, loadSpec, type OpenApiDocument, validatorAt } from '../../contract/index.ts';
import type { AssertionClass, RuleSource } from '../registry/types.ts';

export interface Operation {
  api: ApiName;
  operationId: string;
  method: string;
  template: string;
  pointer: string[];
}

/** One way a response breaks the contract of its operation. */
export interface ResponseFinding {
  /**
   * envelope: status and Content-Type (GEN-RESPONSE-CONTRACT); body: the body against its schema (the operation's shape
   * rule).
   */
  kind: 'envelope' | 'body';
  class: AssertionClass;
  /** Where in the body (a JSON pointer, array indices as `*`), or `status` / `content-type`. */
  at: string;
  message: string;
  /** For a designed finding: the designed part it rests on. */
  source?: RuleSource;
}

interface Matcher extends Operation {
  pattern: RegExp;
}
const matchers = new Map<ApiName, Matcher[]>();

function operationsOf(api: ApiName): Matcher[] {
  let list = matchers.get(api);
  if (list) return list;
  list = [];
  const spec = loadSpec(api);
  for (const [template, item] of Object.entries(spec.paths as Record<string, Record<string, { operationId?: string }>>))
    for (const [method, op] of Object.entries(item))
      if (op && typeof op === 'object' && op.operationId)
        list.push({
          api,
          operationId: op.operationId,
          method: method.toUpperCase(),
          template,
          pointer: ['paths', template, method],
          pattern: new RegExp(
            `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`,
          ),
        });
  matchers.set(api, list);
  return list;
}

/** Every operation of an API (paths only; webhooks are judged by their own rules). */
export const operations = (api: ApiName): Operation[] => operationsOf(api).map(({ pattern: _pattern, ...op }) => op);

/** The operation a request addresses (by method and path, the base URL's own path prefix removed). */
export function findOperation(api: ApiName, method: string, path: string): Operation | undefined {
  const m = operationsOf(api).find((o) => o.method === method && o.pattern.test(path));
  if (!m) return undefined;
  const { pattern: _pattern, ...op } = m;
  return op;
}

const get = (doc: OpenApiDocument, segments: string[]): unknown =>
  segments.reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], doc);
const toSegments = (ref: string) =>
  ref
    .slice(2)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
export const pointerOf = (segments: string[]) =>
  `/${segments.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

/**
 * Follows a node's local `$ref`s (and the refs they lead to, at most 16): the node they name and its pointer (`at` when
 * the node is no reference).
 */
function follow(doc: OpenApiDocument, node: unknown, at: string[] = []): { node: unknown; at: string[] } {
  for (let i = 0; i < 16; i++) {
    const ref = (node as { $ref?: unknown } | undefined)?.$ref;
    if (typeof ref !== 'string' || !ref.startsWith('#/')) break;
    at = toSegments(ref);
    node = get(doc, at);
  }
  return { node, at };
}

/** Follows `$ref`s from a pointer; returns the pointer of the object itself. */
const deref = (spec: OpenApiDocument, segments: string[]): string[] => follow(spec, get(spec, segments), segments).at;

/** Follows a node's `$ref` (and the refs it leads to) to the node it names. */
export const resolveRef = <T = unknown>(doc: OpenApiDocument, node: T): T => follow(doc, node).node as T;

export type XSource = {
  seed?: string;
  quote?: string;
  designed?: string;
  designedKeywords?: string[];
  decision?: string;
};

/**
 * Whether a keyword of a field (`maxLength`, `enum`...) is the designed part of its x-source: all are when it names
 * none.
 */
export const designedKeyword = (x: XSource | undefined, keyword: string): boolean =>
  !!x?.designed && (!x.designedKeywords || x.designedKeywords.includes(keyword));
type Schema = Record<string, unknown> & { 'x-source'?: XSource };

/** A designed part: only `designed` (no seed quote states it). */
const designedOnly = (x: XSource | undefined) => !!x && !x.seed;

interface Step {
  /** Pointer of the schema node (after $refs). */
  at: string[];
  schema: Schema;
  /** The x-source that applies: the property's own, else its target's. */
  source: XSource | undefined;
}

/**
 * The schema nodes from a response schema down an instance path (properties through allOf/oneOf/anyOf, array items).
 */
function walk(spec: OpenApiDocument, root: string[], instancePath: string): Step[] {
  const first = deref(spec, root);
  const steps: Step[] = [
    { at: first, schema: get(spec, first) as Schema, source: (get(spec, first) as Schema)['x-source'] },
  ];
  for (const segment of instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    const here = steps.at(-1)!;
    const candidates: string[][] = [here.at];
    for (const key of ['allOf', 'oneOf', 'anyOf'])
      for (const i of ((here.schema[key] as unknown[] | undefined) ?? []).keys())
        candidates.push(deref(spec, [...here.at, key, String(i)]));
    let next: Step | undefined;
    for (const c of candidates) {
      const node = get(spec, c) as Schema;
      const props = node.properties as Record<string, Schema> | undefined;
      if (/^\d+$/.test(segment) && node.items) {
        const at = deref(spec, [...c, 'items']);
        next = { at, schema: get(spec, at) as Schema, source: (get(spec, at) as Schema)['x-source'] };
      } else if (props && segment in props) {
        const own = props[segment]!;
        const at = deref(spec, [...c, 'properties', segment]);
        next = {
          at,
          schema: get(spec, at) as Schema,
          source: own['x-source'] ?? (get(spec, at) as Schema)['x-source'],
        };
      }
      if (next) break;
    }
    if (!next) break;
    steps.push(next);
  }
  return steps;
}

const LIMITS = new Set([
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'pattern',
  'format',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
]);

const D9: RuleSource = {
  designed: 'A response carries no field the contract does not define (clients must still ignore unknown fields).',
  specLocation: '/components/schemas',
  decision: 'D9',
};

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/**
 * Classifies one schema error: documented only when the operation, every field on the way and the aspect broken come
 * from the documents.
 */
function classify(
  spec: OpenApiDocument,
  op: Operation,
  root: string[],
  e: AjvError,
): Pick<ResponseFinding, 'class' | 'source'> {
  if (e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties')
    return {
      class: 'contract',
      source: {
        ...D9,
        specLocation: pointerOf([...walk(spec, root, e.instancePath).at(-1)!.at, 'additionalProperties']),
      },
    };
  const opSource = get(spec, [...op.pointer, 'x-source']) as XSource | undefined;
  const steps = walk(spec, root, e.instancePath);
  let subject: { at: string[]; source: XSource | undefined } = steps.at(-1)!;
  let designedWhen: (x: XSource | undefined) => boolean = designedOnly;
  if (e.keyword === 'required') {
    const name = String(e.params.missingProperty);
    const props = (steps.at(-1)!.schema.properties ?? {}) as Record<string, Schema>;
    const at = deref(spec, [...steps.at(-1)!.at, 'properties', name]);
    subject = { at, source: props[name]?.['x-source'] ?? (get(spec, at) as Schema | undefined)?.['x-source'] };
    // A documented field whose presence here was designed says so in its x-source (`designed` beside the seed quote).
    designedWhen = (x) => !!x?.designed;
  } else if (e.keyword === 'enum' || e.keyword === 'const' || LIMITS.has(e.keyword))
    designedWhen = (x) => designedKeyword(x, e.keyword);
  else if (e.keyword !== 'type') designedWhen = () => true;
  const designedBy = designedOnly(opSource)
    ? { x: opSource, at: op.pointer }
    : (steps.slice(0, -1).find((s) => designedOnly(s.source)) ?? (designedWhen(subject.source) ? subject : undefined));
  if (!designedBy) return { class: 'documented' };
  const x = ('x' in designedBy ? designedBy.x : designedBy.source) ?? {};
  return {
    class: 'contract',
    source: {
      designed: x.designed ?? 'Designed where the documents are silent.',
      specLocation: pointerOf(designedBy.at),
      ...(x.decision ? { decision: x.decision } : {}),
    },
  };
}

export interface ResponseFacts {
  status: number;
  contentType: string | null;
  body: unknown;
  bodyText: string;
}

const envelope = (cls: AssertionClass, at: string, message: string, source?: RuleSource): ResponseFinding => ({
  kind: 'envelope',
  class: cls,
  at,
  message,
  ...(source ? { source } : {}),
});

/** Every way a response breaks the contract of its operation, classified; empty when it does not. */
export function responseFindings(op: Operation, res: ResponseFacts): ResponseFinding[] {
  const spec = loadSpec(op.api);
  const responses = get(spec, [...op.pointer, 'responses']) as Record<string, unknown>;
  const first = String(res.status)[0];
  const key =
    String(res.status) in responses
      ? String(res.status)
      : `${first}XX` in responses
        ? `${first}XX`
        : 'default' in responses
          ? 'default'
          : undefined;
  if (!key)
    return [
      envelope(
        'contract',
        'status',
        `status ${res.status} is not documented for ${op.operationId} (documented: ${Object.keys(responses).join(', ')})`,
        {
          designed: 'Each operation documents the statuses it answers.',
          specLocation: pointerOf([...op.pointer, 'responses']),
        },
      ),
    ];
  const at = deref(spec, [...op.pointer, 'responses', key]);
  const content = get(spec, [...at, 'content']) as Record<string, unknown> | undefined;
  const designedBody = {
    designed: 'The responses each operation documents, with their media types.',
    specLocation: pointerOf(at),
  };
  if (!content)
    return res.bodyText.length
      ? [
          envelope(
            'contract',
            'content-type',
            `${op.operationId} ${res.status} documents no body, but one was sent`,
            designedBody,
          ),
        ]
      : [];
  const media = res.contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  const isJson = media === 'application/json' || media.endsWith('+json');
  // "All requests and responses are JSON over HTTPS." (002) documents JSON for the Partner API; which JSON media type
  // is designed.
  const notJson = (message: string) =>
    op.api === 'starmile-partner'
      ? envelope('documented', 'content-type', message)
      : envelope('contract', 'content-type', message, designedBody);
  if (!(media in content)) {
    const message = `Content-Type "${res.contentType ?? '(none)'}" is not documented for ${op.operationId} ${res.status} (documented: ${Object.keys(content).join(', ')})`;
    return [
      isJson && res.body !== undefined ? envelope('contract', 'content-type', message, designedBody) : notJson(message),
    ];
  }
  if (res.body === undefined) return [notJson(`${op.operationId} ${res.status}: the body is not valid JSON`)];
  // Resolving the schema's own $ref lets every response sharing a component share one compiled validator.
  const root = deref(spec, [...at, 'content', media, 'schema']);
  const validate = validatorAt(op.api, ...root);
  if (validate(res.body)) return [];
  return (validate.errors ?? []).slice(0, 20).map((e) => {
    const field =
      e.keyword === 'required'
        ? `${e.instancePath}/${String(e.params.missingProperty)}`
        : e.keyword === 'additionalProperties'
          ? `${e.instancePath}/${String(e.params.additionalProperty)}`
          : e.instancePath;
    const detail =
      e.keyword === 'required'
        ? 'is missing'
        : e.keyword === 'additionalProperties'
          ? 'is not a field the contract defines'
          : (e.message ?? 'is invalid');
    return {
      kind: 'body' as const,
      at: field.replace(/\/\d+(?=\/|$)/g, '/*') || '/',
      message: `${op.operationId} ${res.status} body ${field || '/'} ${detail}`,
      ...classify(spec, op, root, e as AjvError),
    };
  });
}
