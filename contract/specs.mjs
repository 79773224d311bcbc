// The one loader of the files in generated/ (each read once, and parsed once, per process), for plain Node scripts and,
// through contract.ts, for the sandbox, the suite and the tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedDir } from './generated-dir.mjs';

const texts = new Map();
const parsed = new Map();

/** The operations a path item may hold, in the order OpenAPI 3.1 lists them (§4.8.9). */
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** The path of a generated file of one API (its bundled spec is openapi.json). */
const generatedPath = (api, file) => join(generatedDir, api, file);

/** The path of an API's bundled spec, as committed in generated/. */
export const bundledSpecPath = (api) => generatedPath(api, 'openapi.json');

/** A generated file as committed, byte for byte. */
export function generatedText(api, file) {
  const key = `${api}/${file}`;
  if (!texts.has(key)) texts.set(key, readFileSync(generatedPath(api, file), 'utf8'));
  return texts.get(key);
}

/** A generated JSON file, parsed. */
export function generatedJson(api, file) {
  const key = `${api}/${file}`;
  if (!parsed.has(key)) parsed.set(key, JSON.parse(generatedText(api, file)));
  return parsed.get(key);
}

/** The bundled spec of one API. */
export const loadSpec = (api) => generatedJson(api, 'openapi.json');
