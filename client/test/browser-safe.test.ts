// The client must run in a browser: its sources use no Node module, global or Buffer (the build also compiles them with no Node types).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const srcDir = new URL('../src/', import.meta.url);
const sources = readdirSync(srcDir).filter((f) => f.endsWith('.ts'));

/** Constructs a browser lacks; shared with the packed-package test, which scans the built JavaScript. */
export const NODE_ONLY: [string, RegExp][] = [
  ['a node: import', /from\s+['"]node:|import\(\s*['"]node:/],
  ['a Node core module import', /from\s+['"](fs|path|http|https|os|crypto|child_process|url|buffer|stream|util)['"]/],
  ['Buffer', /\bBuffer\b/],
  ['process', /\bprocess\s*[.[]/],
  ['require()', /\brequire\s*\(/],
  ['__dirname', /\b__dirname\b/],
];

describe('browser-safe sources', () => {
  it('finds the sources to scan', () => {
    expect(sources).toContain('client.ts');
  });

  it.each(sources.flatMap((file) => NODE_ONLY.map(([what, pattern]) => [file, what, pattern] as const)))('%s has no %s', (file, _what, pattern) => {
    const text = readFileSync(new URL(file, srcDir), 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '');
    expect(text).not.toMatch(pattern);
  });

  it.each(NODE_ONLY.map(([what, pattern]) => [what, pattern] as const))('the scan catches %s', (_what, pattern) => {
    const offenders = ["import { readFileSync } from 'node:fs';", "import fs from 'fs';", 'Buffer.from(x)', 'process.env.X', "require('x')", '__dirname'];
    expect(offenders.some((line) => pattern.test(line))).toBe(true);
  });
});
