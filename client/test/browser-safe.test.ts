// The client must run in a browser: its sources use no Node module, global or Buffer (the build also compiles them with
// no Node types).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NODE_ONLY, withoutComments } from './support/node-only.js';

const srcDir = new URL('../src/', import.meta.url);
const sources = readdirSync(srcDir).filter((f) => f.endsWith('.ts'));

describe('browser-safe sources', () => {
  it('finds the sources to scan', () => {
    expect(sources).toContain('client.ts');
  });

  it.each(sources.flatMap((file) => NODE_ONLY.map(([what, pattern]) => [file, what, pattern] as const)))(
    '%s has no %s',
    (file, _what, pattern) => {
      const text = withoutComments(readFileSync(new URL(file, srcDir), 'utf8'));
      expect(text).not.toMatch(pattern);
    },
  );

  it.each(NODE_ONLY)('the scan catches %s', (_what, pattern, caught) => {
    expect(caught).toMatch(pattern);
  });
});
