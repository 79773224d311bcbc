// Every conformance rule that quotes the published documents quotes them exactly, as every x-source of the spec must
// (the same check, scripts/lib/seeds.mjs): a seed that changes under a rule fails here.
import { expect, test } from 'vitest';
import '../../conformance/rules/index.ts';
import { rules } from '../../conformance/registry/index.ts';
import { checkQuote } from '../lib/seeds.mjs';

const quoting = rules.flatMap((r) => ('seed' in r.source ? [[r.id, r.source.seed, r.source.quote] as const] : []));

test('rules quote the documents', () => expect(quoting.length).toBeGreaterThan(0));

test.each(quoting)('%s: its quote is still in %s', (_id, seed, quote) => {
  expect(checkQuote(seed, quote)).toBeNull();
});
