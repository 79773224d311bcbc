// The one loader of the bundled specs in generated/ (parsed once per process), for plain Node
// scripts and, through contract.ts, for the sandbox, the suite and the tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './apis.mjs';

const cache = new Map();

/** The path of an API's bundled spec, as committed in generated/. */
export const bundledSpecPath = (api) => join(repoRoot, 'generated', api, 'openapi.json');

/** The bundled spec of one API. */
export function loadSpec(api) {
  if (!cache.has(api)) cache.set(api, JSON.parse(readFileSync(bundledSpecPath(api), 'utf8')));
  return cache.get(api);
}
