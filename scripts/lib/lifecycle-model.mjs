// The lifecycle model of an API (its lifecycle.yaml): validated against lifecycle.schema.json, then written to
// generated/ as JSON with that schema and the TypeScript types generated from it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { parse as parseYaml } from 'yaml';
import { repoRoot } from './apis.mjs';
import { TYPE_OPTIONS, typesHeader } from './openapi-types.mjs';

const json = (value) => `${JSON.stringify(value, null, 2)}\n`;

/** Every way the model breaks its schema, one line each; empty when it is valid. */
export function modelProblems(model, schema) {
  const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);
  if (validate(model)) return [];
  return validate.errors.map(
    (e) =>
      `${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ''}`,
  );
}

/**
 * The model's strings that name what the API's spec defines (its JSON Schema can say only "a string"), typed in
 * lifecycle.d.ts as the spec's types, imported from the API's schema.d.ts beside it: a status of the model is an
 * `OrderStatus`, so the model's types and the spec's cannot drift apart.
 */
const SPEC_TYPES = {
  Status: ts.factory.createTypeReferenceNode('Spec.OrderStatus'),
  SubStatus: ts.factory.createTypeReferenceNode('Spec.KnownSubStatus'),
  ItemStatus: ts.factory.createTypeReferenceNode('Spec.ItemStatus'),
  WebhookName: ts.factory.createTypeOperatorNode(
    ts.SyntaxKind.KeyOfKeyword,
    ts.factory.createTypeReferenceNode('Spec.webhooks'),
  ),
};

/** The schema's $defs as an OpenAPI document's components, so openapi-typescript types them; the root is `title`. */
function asComponents(schema) {
  const { $defs, $schema: _dialect, $id: _id, ...root } = schema;
  const retarget = (value) => JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/'));
  return {
    openapi: '3.1.0',
    info: { title: root.title, version: '1' },
    paths: {},
    components: { schemas: retarget({ [root.title]: root, ...$defs }) },
  };
}

/**
 * Writes lifecycle.json, lifecycle.schema.json and lifecycle.d.ts for an API that has a lifecycle model; throws on an
 * invalid model.
 */
export async function generateLifecycle(apiRoot, outDir) {
  const source = join(dirname(apiRoot), 'lifecycle.yaml');
  if (!existsSync(source)) return;
  const schemaFile = join(dirname(apiRoot), 'lifecycle.schema.json');
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
  const model = parseYaml(readFileSync(source, 'utf8'));
  const problems = modelProblems(model, schema);
  if (problems.length)
    throw new Error(
      `${relative(repoRoot, source)} does not match ${relative(repoRoot, schemaFile)}:\n  ${problems.join('\n  ')}`,
    );
  writeFileSync(join(outDir, 'lifecycle.json'), json(model));
  writeFileSync(join(outDir, 'lifecycle.schema.json'), json(schema));
  const transform = (_schema, { path }) => SPEC_TYPES[path.replace('#/components/schemas/', '')];
  const ast = await openapiTS(asComponents(schema), { ...TYPE_OPTIONS, transform });
  writeFileSync(
    join(outDir, 'lifecycle.d.ts'),
    `${typesHeader(schemaFile)}import type * as Spec from './schema.js';\n${astToString(ast)}`,
  );
}
