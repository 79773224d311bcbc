// The one place that loads the bundled specs and the one Ajv (JSON Schema 2020-12) instance that
// validates against them; the sandbox, the conformance suite and the tests all go through it.
import { Ajv2020, type ErrorObject, type Options, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { fill } from './messages.ts';
import { precompiled } from './precompiled-validators.mjs';
import { generatedText, loadSpec as loadBundledSpec, generatedJson as loadGenerated } from './specs.mjs';

/** The APIs of this repository, by the folder name of their spec. */
export const API_NAMES = ['starmile-partner', 'starship-rewards', 'sandbox-admin'] as const;
export type ApiName = (typeof API_NAMES)[number];
// biome-ignore lint/suspicious/noExplicitAny: a spec is read by JSON path everywhere; its shape is checked by lint, not by this type
export type OpenApiDocument = Record<string, any>;

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** The bundled spec of one API, as committed in generated/ (parsed once per process). */
export const loadSpec = (api: ApiName): OpenApiDocument => loadBundledSpec(api) as OpenApiDocument;

/** The bundled spec as committed, byte for byte (reports hash it). */
export const specBytes = (api: ApiName): string => generatedText(api, 'openapi.json') as string;

/** Another generated JSON file of an API (the Starship lifecycle model and its schema), parsed once. */
export const generatedJson = (api: ApiName, file: string): unknown => loadGenerated(api, file);

/**
 * An Ajv instance set up for the specs (formats, the OpenAPI keywords), with `options` on top: the one instance below,
 * and the one the conformance suite's build uses to compile validators ahead of time (with `code.source`).
 */
export function createAjv(options: Options = {}): Ajv2020 {
  // Compiling is most of what a short process (a conformance run, a sandbox start) spends on validation: a shared
  // component ($ref) is compiled once rather than inlined into every schema using it, the generated code is not put
  // through Ajv's optimising passes, and the specs are not validated against the JSON Schema meta-schema again (npm run
  // lint checks them against the OpenAPI 3.1 schema). Together they halve the compile time.
  const ajv = new Ajv2020({
    strict: true,
    allErrors: true,
    discriminator: true,
    strictTypes: false,
    strictRequired: false,
    inlineRefs: false,
    validateSchema: false,
    ...options,
    code: { optimize: false, ...options.code },
  });
  addFormats(ajv);
  ajv.addFormat('password', true);
  // The document's own top-level keys are not schema keywords; naming them lets strict mode accept the root.
  const OPENAPI_ROOT_KEYS = [
    'openapi',
    'info',
    'servers',
    'paths',
    'webhooks',
    'components',
    'security',
    'tags',
    'jsonSchemaDialect',
  ];
  for (const keyword of [...OPENAPI_ROOT_KEYS, 'example', 'xml', 'externalDocs', 'x-source', 'x-moves-to'])
    ajv.addKeyword({ keyword });
  return ajv;
}

const ajv = createAjv();
const added = new Set<ApiName>();

/**
 * Ajv's `discriminator` reads each branch's `const` and refuses `mapping`, which the spec keeps
 * for Redoc and openapi-typescript (it types each branch's tag from it); Ajv gets a copy without.
 */
function withoutDiscriminatorMappings(spec: OpenApiDocument): OpenApiDocument {
  return JSON.parse(JSON.stringify(spec), (key, value) => {
    if (key === 'discriminator' && value && typeof value === 'object') {
      const { mapping: _mapping, ...rest } = value as Record<string, unknown>;
      return rest;
    }
    return value;
  }) as OpenApiDocument;
}

/** Registers an API's bundled spec with an Ajv instance under the API's name, so `<api>#/pointer` refs resolve. */
export function addApi(instance: Ajv2020, api: ApiName): void {
  instance.addSchema(withoutDiscriminatorMappings(loadSpec(api)), api);
}

/**
 * The pointers of every schema an API's spec holds where a validator may be asked for: each component schema, and each
 * `schema` of a parameter, request body, response or webhook (components and operations alike).
 */
export function schemaPointers(api: ApiName): string[][] {
  const out: string[][] = [];
  const visit = (node: unknown, at: string[]): void => {
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (key === 'examples' || key === 'example' || key === 'x-source') continue;
      if (key === 'schema' && value && typeof value === 'object') out.push([...at, key]);
      else visit(value, [...at, key]);
    }
  };
  const spec = loadSpec(api);
  for (const name of Object.keys(spec.components?.schemas ?? {})) out.push(['components', 'schemas', name]);
  for (const part of ['paths', 'webhooks'] as const) visit(spec[part], [part]);
  for (const part of ['parameters', 'responses', 'requestBodies'] as const)
    visit(spec.components?.[part], ['components', part]);
  return out;
}

/** How a validator is known: `<api>#/<JSON pointer>`. */
export const validatorRef = (api: ApiName, segments: string[]): string =>
  `${api}#/${segments.map(escapePointer).join('/')}`;

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * A validator for a JSON pointer into a spec, e.g. ['components', 'schemas', 'Order']: compiled ahead of time (in the
 * suite's bundle) or on first use.
 */
export function validatorAt(api: ApiName, ...segments: string[]): ValidateFunction {
  const ref = validatorRef(api, segments);
  const ready = precompiled.get(ref);
  if (ready) return ready as ValidateFunction;
  ensureApi(api);
  const validate = ajv.getSchema(ref);
  if (!validate) throw new Error(`no schema at ${ref}`);
  return validate;
}

/** Where a request body's schema is: under `paths` (an operation's) or `webhooks` (a webhook's payload). */
export const requestBodyAt = (
  section: 'paths' | 'webhooks',
  key: string,
  method: string,
  media = 'application/json',
): string[] => [section, key, method, 'requestBody', 'content', media, 'schema'];

/** The validator of a named component schema. */
export const schemaValidator = (api: ApiName, name: string) => validatorAt(api, 'components', 'schemas', name);

/**
 * The field messages request validation writes itself (in `errors`, beside Ajv's own wording for the other keywords,
 * such as `must be >= 1`): generic, so not in a spec's catalogue (decision T5).
 */
export const validatorMessages = {
  required: 'is required',
  notAField: 'is not a field of this request',
  givenOnce: 'must be given once',
  tagValue: 'must be one of the documented {tag} values',
  enumValue: 'must be one of: {values}',
} as const;

/** Turns Ajv errors into the `errors` map of the error body: field path (dots, zero-based) -> messages. */
export function toFieldErrors(errors: ErrorObject[] | null | undefined, prefix = ''): Record<string, string[]> {
  // No prototype: a client may name a field `__proto__` or `constructor`.
  const out: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const e of errors ?? []) {
    const segments = e.instancePath
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'required') {
      segments.push(String(e.params.missingProperty));
      message = validatorMessages.required;
    }
    if (e.keyword === 'additionalProperties') {
      segments.push(String(e.params.additionalProperty));
      message = validatorMessages.notAField;
    }
    if (e.keyword === 'discriminator') {
      segments.push(String(e.params.tag));
      message = fill(validatorMessages.tagValue, { tag: String(e.params.tag) });
    }
    if (e.keyword === 'enum')
      message = fill(validatorMessages.enumValue, { values: (e.params.allowedValues as unknown[]).join(', ') });
    const path = [prefix, ...segments].filter(Boolean).join('.') || 'body';
    out[path] ??= [];
    if (!out[path].includes(message)) out[path].push(message);
  }
  return out;
}

/** Adds an API's bundled spec to the one Ajv instance, once, so its `<api>#/...` references resolve. */
function ensureApi(api: ApiName): void {
  if (added.has(api)) return;
  addApi(ajv, api);
  added.add(api);
}

/**
 * A standalone JSON Schema's validator (the conformance profile's, or a schema built from a spec's parts that refers to
 * it as `<api>#/...`): compiled ahead of time under its `$id` (in the suite's bundle), or now with the same Ajv instance,
 * the specs it refers to added first.
 */
export function compileSchema(schema: object): ValidateFunction {
  const id = (schema as { $id?: unknown }).$id;
  const ready = typeof id === 'string' ? precompiled.get(id) : undefined;
  if (ready) return ready as ValidateFunction;
  const text = JSON.stringify(schema);
  for (const api of API_NAMES) if (text.includes(`"${api}#`)) ensureApi(api);
  return ajv.compile(schema);
}
