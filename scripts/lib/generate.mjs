// Produces every file of generated/ for one API: bundled YAML and JSON, dereferenced JSON, TS types, the operations'
// facts, and its lifecycle model when it has one.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundle, loadConfig, stringifyYaml } from '@redocly/openapi-core';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { repoRoot } from './apis.mjs';
import { generateLifecycle } from './lifecycle-model.mjs';
import { localResolver, openEnum } from './open-enum.mjs';
import { TYPE_OPTIONS, typesHeader } from './openapi-types.mjs';
import { operationsModule } from './operation-facts.mjs';

const STRING = ts.factory.createKeywordTypeNode(ts.SyntaxKind.StringKeyword);
// `string & {}` keeps editors offering the known literals while accepting any other string.
const OPEN_STRING = ts.factory.createIntersectionTypeNode([STRING, ts.factory.createTypeLiteralNode([])]);

/** Open enums: the known literals plus any string, as `"A" | "B" | (string & {})`, so autocompletion survives. */
function transformFor(bundled) {
  const resolve = localResolver(bundled);
  return (schema) => {
    const known = openEnum(schema, resolve)?.known;
    if (!known) return undefined;
    const literals = known.map((v) => ts.factory.createLiteralTypeNode(ts.factory.createStringLiteral(v)));
    return ts.factory.createUnionTypeNode([...literals, OPEN_STRING]);
  };
}

const json = (value) => `${JSON.stringify(value, null, 2)}\n`;

export async function generateApi(api, outDir) {
  const config = await loadConfig({ configPath: join(repoRoot, 'redocly.yaml') });
  const bundled = (await bundle({ ref: api.root, config, dereference: false })).bundle.parsed;
  const dereferenced = (await bundle({ ref: api.root, config, dereference: true })).bundle.parsed;
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'openapi.yaml'), stringifyYaml(bundled, { lineWidth: -1, noRefs: true }));
  writeFileSync(join(outDir, 'openapi.json'), json(bundled));
  writeFileSync(join(outDir, 'openapi.deref.json'), json(dereferenced));
  const ast = await openapiTS(structuredClone(bundled), {
    ...TYPE_OPTIONS,
    transform: transformFor(bundled),
    redocly: config,
  });
  writeFileSync(join(outDir, 'schema.d.ts'), typesHeader(api.root) + astToString(ast));
  writeFileSync(join(outDir, 'operations.ts'), operationsModule(bundled, api.root));
  // A lifecycle model beside the root reaches the client, the sandbox and the suite as machine output, checked against
  // its schema.
  await generateLifecycle(api.root, outDir);
  return bundled;
}
