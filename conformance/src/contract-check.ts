// The check every response of every rule goes through: documented status, documented Content-Type, body valid against the spec.
import { loadSpec, validatorAt, type ApiName, type OpenApiDocument } from '../../scripts/lib/contract.ts';

export interface Operation {
  api: ApiName;
  operationId: string;
  method: string;
  template: string;
  pointer: string[];
}

interface Matcher extends Operation { pattern: RegExp }
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
          pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
        });
  matchers.set(api, list);
  return list;
}

/** The operation a request addresses (by method and path, the base URL's own path prefix removed). */
export function findOperation(api: ApiName, method: string, path: string): Operation | undefined {
  const m = operationsOf(api).find((o) => o.method === method && o.pattern.test(path));
  if (!m) return undefined;
  const { pattern: _pattern, ...op } = m;
  return op;
}

const get = (doc: OpenApiDocument, segments: string[]): unknown => segments.reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], doc);

/** Follows `$ref`s from a pointer; returns the pointer of the object itself. */
function deref(spec: OpenApiDocument, segments: string[]): string[] {
  let at = segments;
  for (let i = 0; i < 16; i++) {
    const node = get(spec, at) as { $ref?: string } | undefined;
    if (!node?.$ref?.startsWith('#/')) return at;
    at = node.$ref.slice(2).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  }
  return at;
}

export interface ResponseFacts {
  status: number;
  contentType: string | null;
  body: unknown;
  bodyText: string;
}

/** Why a response breaks the contract of its operation; empty when it does not. */
export function contractProblems(op: Operation, res: ResponseFacts): string[] {
  const spec = loadSpec(op.api);
  const responses = get(spec, [...op.pointer, 'responses']) as Record<string, unknown>;
  const key = String(res.status) in responses ? String(res.status) : `${String(res.status)[0]}XX` in responses ? `${String(res.status)[0]}XX` : 'default' in responses ? 'default' : undefined;
  if (!key) return [`status ${res.status} is not documented for ${op.operationId} (documented: ${Object.keys(responses).join(', ')})`];
  const at = deref(spec, [...op.pointer, 'responses', key]);
  const content = get(spec, [...at, 'content']) as Record<string, unknown> | undefined;
  if (!content) return res.bodyText.length ? [`${op.operationId} ${res.status} documents no body, but one was sent`] : [];
  const media = res.contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!(media in content)) return [`Content-Type "${res.contentType ?? '(none)'}" is not documented for ${op.operationId} ${res.status} (documented: ${Object.keys(content).join(', ')})`];
  if (res.body === undefined) return [`${op.operationId} ${res.status}: the body is not valid JSON`];
  // Resolving the schema's own $ref lets every response sharing a component share one compiled validator.
  const validate = validatorAt(op.api, ...deref(spec, [...at, 'content', media, 'schema']));
  if (validate(res.body)) return [];
  return (validate.errors ?? []).slice(0, 5).map((e) => `${op.operationId} ${res.status} body ${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
}
