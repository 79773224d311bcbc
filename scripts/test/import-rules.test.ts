// Every import of the repository's code keeps the rules its folder's README states (`| from | may import | must not
// import |`): nothing under sandbox/, conformance/ or client/ imports scripts/, only contract/ imports generated/, the
// client's sources import only what its package ships.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { codeFiles, importsOf, readRules, rulesOf, topFolders, violations } from './support/import-rules.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const rules = readRules(root);
const files = topFolders(root).flatMap((folder) => codeFiles(root, folder));

test('every README with code in its folder states its rules, and the rules name real places', () => {
  expect(files.length).toBeGreaterThan(100);
  const folders = new Set(files.map((f) => f.split('/')[0]));
  for (const folder of folders)
    expect(
      rules.some((r) => r.readme === `${folder}/README.md`),
      `${folder}/README.md states what it may import`,
    ).toBe(true);
  for (const rule of rules) {
    for (const from of rule.from)
      expect(from.split('/')[0], `${rule.readme}: ${from} is under its folder`).toBe(rule.readme.split('/')[0]);
    for (const path of [...rule.from, ...rule.may, ...rule.mustNot])
      expect(existsSync(`${root}${path}`), `${rule.readme}: ${path} exists`).toBe(true);
  }
});

test.each(['client', 'sandbox', 'conformance'])('no file under %s/ may import scripts/ or generated/', (folder) => {
  const stated = rules.filter((r) => r.readme === `${folder}/README.md`);
  expect(stated.length).toBeGreaterThan(0);
  for (const rule of stated)
    expect(rule.mustNot, `${rule.from.join(', ')}`).toEqual(expect.arrayContaining(['scripts/', 'generated/']));
});

test('every import keeps the rules of its folder', () => {
  const found = files.flatMap((file) =>
    violations(rules, file, importsOf(root, file, readFileSync(`${root}${file}`, 'utf8'))),
  );
  expect(found).toEqual([]);
});

describe('the check fails when a rule is broken', () => {
  const example = rulesOf(
    'client/README.md',
    [
      '| from | may import | must not import |',
      '|---|---|---|',
      '| `client/src/` | `contract/lifecycle.ts` | `scripts/`, `generated/` |',
      '| `client/test/` | `contract/` | `scripts/` |',
      '| `client/src/b.ts` | `contract/` | `scripts/` |',
      '',
    ].join('\n'),
  );
  test.each([
    [
      'an import of scripts/',
      'client/src/a.ts',
      "import { x } from '../../scripts/lib/contract.ts';",
      'must not import scripts/',
    ],
    [
      'a dynamic import of generated/',
      'client/src/a.ts',
      "const m = await import('../../generated/starship-rewards/lifecycle.json');",
      'must not import generated/',
    ],
    [
      'a require() of another folder',
      'client/src/a.cjs',
      "const s = require('../../sandbox/src/server.ts');",
      'may import only contract/lifecycle.ts',
    ],
    [
      'a re-export of a module not allowed',
      'client/src/a.ts',
      "export * from '../../contract/index.ts';",
      'may import only contract/lifecycle.ts',
    ],
    ['a file no row is about', 'client/bench/a.ts', "import '../src/a.ts';", 'no README states'],
  ])('%s', (_what, file, text, why) => {
    expect(
      violations(example, file, importsOf(root, file, text))
        .map((v) => v.why)
        .join('\n'),
    ).toContain(why);
  });

  test.each([
    ['an allowed module', 'client/src/a.ts', "import { lifecycle } from '../../contract/lifecycle.js';"],
    ['its own folder', 'client/src/a.ts', "import { x } from '../test/b.ts';"],
    ['a package', 'client/src/a.ts', "import createClient from 'openapi-fetch';"],
    ['another row', 'client/test/a.ts', "import { loadSpec } from '../../contract/index.ts';"],
    ['the most specific row', 'client/src/b.ts', "import { loadSpec } from '../../contract/index.ts';"],
  ])('passes %s', (_what, file, text) => {
    expect(violations(example, file, importsOf(root, file, text))).toEqual([]);
  });
});
