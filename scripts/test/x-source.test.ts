// The x-source check lint runs: what an annotation must say, and that designedKeywords names keywords the field has.
import { describe, expect, test } from 'vitest';
import { checkXSource } from '../lib/x-source.mjs';

const seed = { seed: '001_408ef8b03705e8b4.txt', quote: 'Your reference for the order (max 255).' };
const docWith = (xSource: unknown) => ({
  paths: {},
  components: {
    schemas: {
      Req: {
        type: 'object',
        'x-source': { designed: 'A request body of this test.' },
        properties: { order_id: { type: 'string', maxLength: 255, not: { pattern: '^SM' }, 'x-source': xSource } },
      },
    },
  },
});

describe('x-source', () => {
  test.each([
    ['a seed quote', seed, []],
    ['a designed part', { designed: 'Where the documents are silent.' }, []],
    ['a documented field with a designed part', { ...seed, designed: 'The reserved shape.' }, []],
    [
      'designedKeywords naming keywords the field has',
      { ...seed, designed: 'The reserved shape.', designedKeywords: ['not'] },
      [],
    ],
    ['none', undefined, ['no x-source']],
    ['a quote not in its seed', { ...seed, quote: 'A sentence no seed holds.' }, ['quote not found']],
    ['designedKeywords without a designed part', { ...seed, designedKeywords: ['not'] }, ['designedKeywords']],
    [
      'designedKeywords without a seed',
      { designed: 'The reserved shape.', designedKeywords: ['not'] },
      ['designedKeywords'],
    ],
    [
      'designedKeywords empty',
      { ...seed, designed: 'The reserved shape.', designedKeywords: [] },
      ['designedKeywords'],
    ],
    [
      'designedKeywords naming a keyword the field lacks',
      { ...seed, designed: 'The reserved shape.', designedKeywords: ['pattern'] },
      ['pattern, which the schema does not have'],
    ],
    ['an unknown key', { ...seed, designedKeyword: ['not'] }, ['unknown x-source keys designedKeyword']],
  ])('%s', (_name, xSource, want) => {
    const problems = checkXSource(docWith(xSource));
    expect(problems.length).toBe(want.length);
    for (const [i, w] of want.entries()) expect(problems[i]).toContain(w);
  });
});
