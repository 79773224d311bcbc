// The APIs of this repository, read from redocly.yaml so that lint, build and docs share one list.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** @returns {{ name: string, alias: string, root: string, dir: string }[]} */
export function listApis() {
  const config = parse(readFileSync(join(repoRoot, 'redocly.yaml'), 'utf8'));
  return Object.entries(config.apis).map(([alias, api]) => {
    const name = alias.split('@')[0];
    return { name, alias, root: join(repoRoot, api.root), dir: join(repoRoot, 'generated', name) };
  });
}
