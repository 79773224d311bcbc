// The validators the suite's bundle ships compiled: Ajv's standalone code (ESM) for every schema pointer of an API and
// for standalone schemas known by their `$id` (the profile's, the lifecycle model's), as a module exporting the map
// from each ref to its function (see contract/precompiled-validators.mjs).

import { _ } from 'ajv/dist/compile/codegen/index.js';
import standaloneCodeModule from 'ajv/dist/standalone/index.js';
import { type ApiName, addApi, createAjv, schemaPointers, validatorRef } from '../../contract/index.ts';

const standaloneCode = standaloneCodeModule as unknown as (
  ajv: ReturnType<typeof createAjv>,
  refs: Record<string, string>,
) => string;

/** One Ajv holding every API and schema; each call turns a group of them into a module of its own. */
export function precompiler(
  apis: ApiName[],
  schemas: { $id: string }[],
): (group: { apis: ApiName[]; schemas: { $id: string }[] }) => string {
  const ajv = createAjv({ code: { source: true, esm: true, formats: _`fullFormats` } });
  for (const api of apis) addApi(ajv, api);
  for (const schema of schemas) ajv.addSchema(schema);
  return (group) => {
    const refs = [
      ...group.apis.flatMap((api) => schemaPointers(api).map((pointer) => validatorRef(api, pointer))),
      ...group.schemas.map((s) => s.$id),
    ];
    // Standalone code reaches Ajv's run-time helpers with require() even as ESM: each becomes an import.
    const runtime: string[] = [];
    const code = standaloneCode(ajv, Object.fromEntries(refs.map((ref, i) => [`v${i}`, ref]))).replace(
      /require\("([^"]+)"\)/g,
      (_call, module: string) => {
        runtime.push(`import runtime${runtime.length} from '${module}.js';`);
        return `runtime${runtime.length - 1}`;
      },
    );
    return [
      "import { fullFormats } from 'ajv-formats/dist/formats.js';",
      ...runtime,
      code,
      `export const precompiled = new Map([\n${refs.map((ref, i) => `  [${JSON.stringify(ref)}, v${i}],`).join('\n')}\n]);`,
      '',
    ].join('\n');
  };
}
