// The registry is well formed: ids unique, every rule file imported, every operation and spec location real. That every
// quote is still in its seed is checked with the spec's quotes (scripts/test/rule-quotes.test.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { loadSpec } from '../../contract/index.ts';
import '../rules/index.ts';
import { rules } from '../registry/index.ts';
import { duplicateRules } from '../src/define.ts';

const pointer = (doc: unknown, location: string) =>
  location
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);

test('no id is defined twice', () => {
  expect(duplicateRules()).toEqual([]);
  expect(rules.length).toBe(new Set(rules.map((r) => r.id)).size);
});

test.each(['starmile-partner', 'starship-rewards'])(
  'every rule file of %s is imported by conformance/rules/index.ts',
  async (api) => {
    const dir = fileURLToPath(new URL(`../rules/${api}/`, import.meta.url));
    const index = await import('node:fs').then((fs) =>
      fs.readFileSync(fileURLToPath(new URL('../rules/index.ts', import.meta.url)), 'utf8'),
    );
    // A rule file is one that registers rules: it imports `rule` from its API's meta.ts.
    const files = readdirSync(dir).filter(
      (f) =>
        f.endsWith('.ts') &&
        /import \{[^}]*\brule\b[^}]*\} from '\.\/meta\.ts'/.test(readFileSync(join(dir, f), 'utf8')),
    );
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => !index.includes(`./${api}/${f}`))).toEqual([]);
  },
);

describe('each rule is well formed and its source still holds', () => {
  test.each(rules.map((r) => [r.id, r] as const))('%s', (id, r) => {
    expect(id).toMatch(/^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/);
    expect(['MUST', 'SHOULD', 'MAY']).toContain(r.level);
    expect(r.tags.length).toBeGreaterThan(0);
    expect(r.title.length).toBeGreaterThan(10);
    const spec = loadSpec(r.api);
    // Webhooks are operations too (the Starship rules about payloads name them).
    const items = [...Object.values(spec.paths ?? {}), ...Object.values(spec.webhooks ?? {})] as Record<
      string,
      { operationId?: string }
    >[];
    const operationIds = items.flatMap((item) => Object.values(item).map((op) => op?.operationId));
    for (const op of r.operations) expect(operationIds, `operation ${op} of ${id}`).toContain(op);
    if (!('seed' in r.source)) {
      expect(r.source.designed.length).toBeGreaterThan(5);
      expect(pointer(spec, r.source.specLocation), `${r.source.specLocation} exists in ${r.api}`).toBeDefined();
    }
  });
});
