// How a baseline judges a run: known failures tolerated, new failures and stale entries fail it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { judge, loadBaseline, type Baseline } from '../src/baseline.ts';
import type { RuleResult, RuleStatus } from '../src/runner.ts';

const result = (id: string, status: RuleStatus): RuleResult => ({ id, status, durationMs: 1, requests: 1, failures: status === 'fail' ? [{ phase: 'check', message: 'boom' }] : [], trail: [] });
const must = 'ORD-CREATE';
const should = 'EVT-NO-MOVE';

describe('judge', () => {
  const cases: [string, { results: RuleResult[]; baseline?: Baseline }, { ok: boolean; final?: string; stale?: boolean }][] = [
    ['a MUST failure without baseline fails the run', { results: [result(must, 'fail')] }, { ok: false, final: 'fail' }],
    ['a SHOULD failure without baseline is reported but the run is OK', { results: [result(should, 'fail')] }, { ok: true, final: 'fail' }],
    ['a SHOULD failure not in a given baseline fails the run', { results: [result(should, 'fail')], baseline: { entries: [] } }, { ok: false, final: 'fail' }],
    ['a listed failure is a known failure', { results: [result(must, 'fail')], baseline: { entries: [{ rule: must, reason: 'r' }] } }, { ok: true, final: 'known failure' }],
    ['a listed rule that passes is stale and fails the run', { results: [result(must, 'pass')], baseline: { entries: [{ rule: must, reason: 'r' }] } }, { ok: false, final: 'pass', stale: true }],
    ['a listed rule that is not verified is neither stale nor failing', { results: [result(must, 'not verified')], baseline: { entries: [{ rule: must, reason: 'r' }] } }, { ok: true, final: 'not verified', stale: false }],
    ['an entry naming no rule fails the run', { results: [result(must, 'pass')], baseline: { entries: [{ rule: 'NO-SUCH-RULE', reason: 'r' }] } }, { ok: false, final: 'pass' }],
    ['not verified never fails a run', { results: [result(must, 'not verified')] }, { ok: true, final: 'not verified' }],
  ];
  test.each(cases)('%s', (_name, given, want) => {
    const verdict = judge(given.results, given.baseline);
    expect(verdict.ok).toBe(want.ok);
    if (want.final) expect(verdict.rules[0]!.final).toBe(want.final);
    if (want.stale !== undefined) expect(verdict.rules[0]!.stale).toBe(want.stale);
  });
});

test('a malformed baseline is refused with the path at fault, and a repeated rule too', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baseline-'));
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ entries: [{ rule: 'ORD-CREATE' }] }));
  expect(() => loadBaseline(bad)).toThrow(/entries\.0\.reason: is required/);
  const twice = join(dir, 'twice.json');
  writeFileSync(twice, JSON.stringify({ entries: [{ rule: 'ORD-CREATE', reason: 'a' }, { rule: 'ORD-CREATE', reason: 'b' }] }));
  expect(() => loadBaseline(twice)).toThrow(/lists ORD-CREATE twice/);
});
