// How a run is judged: a verdict per class, blocked rules resolved to their root, known failures tolerated, new
// failures and stale entries failing it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { AssertionClass } from '../registry/types.ts';
import { type Baseline, judge, loadBaseline } from '../src/baseline.ts';
import type { Failure } from '../src/context.ts';
import type { RuleResult } from '../src/runner.ts';
import { UsageError } from '../src/usage.ts';

const failure = (cls: AssertionClass): Failure => ({ phase: 'check', class: cls, message: 'boom' });
const result = (id: string, outcome: 'pass' | 'not verified' | AssertionClass | { blockedBy: string }): RuleResult => ({
  id,
  status:
    outcome === 'pass'
      ? 'pass'
      : outcome === 'not verified'
        ? 'not verified'
        : typeof outcome === 'object'
          ? 'blocked'
          : 'fail',
  durationMs: 1,
  requests: 1,
  failures: outcome === 'documented' || outcome === 'contract' ? [failure(outcome)] : [],
  ...(typeof outcome === 'object' ? { blocked: { by: outcome.blockedBy, reason: 'no order could be created' } } : {}),
  trail: [],
});
/** Rules resting on the documents (documented class) and a designed one (contract class only). */
const must = 'ORD-CREATE';
const documentedToo = 'UNIQ-ORDER-ID';
const should = 'EVT-NO-MOVE';
const designedRule = 'FEED-422-CURSOR';

describe('judge', () => {
  type Want = { ok: boolean; documented?: string | undefined; contract?: string; stale?: boolean };
  const cases: [string, { results: RuleResult[]; baseline?: Baseline; deciding?: AssertionClass }, Want][] = [
    [
      'a MUST failure of its own class fails the run in both classes',
      { results: [result(must, 'documented')] },
      { ok: false, documented: 'fail', contract: 'fail' },
    ],
    [
      'a designed assertion failing inside a documented rule fails only the contract verdict',
      { results: [result(must, 'contract')] },
      { ok: false, documented: 'pass', contract: 'fail' },
    ],
    [
      '... and the run is OK when the documented class decides',
      { results: [result(must, 'contract')], deciding: 'documented' },
      { ok: true, documented: 'pass', contract: 'fail' },
    ],
    [
      'a designed rule is outside the documented class',
      { results: [result(designedRule, 'contract')], deciding: 'documented' },
      { ok: true, documented: undefined, contract: 'fail' },
    ],
    [
      'a SHOULD failure without baseline is reported but the run is OK',
      { results: [result(should, 'contract')] },
      { ok: true, contract: 'fail' },
    ],
    [
      'a SHOULD failure not in a given baseline fails the run',
      { results: [result(should, 'contract')], baseline: { entries: [] } },
      { ok: false, contract: 'fail' },
    ],
    [
      'a listed failure is a known failure',
      { results: [result(must, 'documented')], baseline: { entries: [{ rule: must, reason: 'r' }] } },
      { ok: true, contract: 'known failure' },
    ],
    [
      'a listed rule that passes is stale and fails the run',
      { results: [result(must, 'pass')], baseline: { entries: [{ rule: must, reason: 'r' }] } },
      { ok: false, contract: 'pass', stale: true },
    ],
    [
      'a listed rule that is not verified is neither stale nor failing',
      { results: [result(must, 'not verified')], baseline: { entries: [{ rule: must, reason: 'r' }] } },
      { ok: true, contract: 'not verified', stale: false },
    ],
    [
      'not verified never fails a run',
      { results: [result(must, 'not verified')] },
      { ok: true, contract: 'not verified' },
    ],
    [
      'blocked by a rule that fails: blocked, and the root fails the run',
      { results: [result(documentedToo, { blockedBy: must }), result(must, 'documented')] },
      { ok: false, documented: 'blocked', contract: 'blocked' },
    ],
    [
      "blocked by a rule that passes: the precondition is this rule's failure",
      { results: [result(documentedToo, { blockedBy: must }), result(must, 'pass')] },
      { ok: false, documented: 'fail', contract: 'fail' },
    ],
    [
      "blocked by a rule that did not run: this rule's failure",
      { results: [result(documentedToo, { blockedBy: must })] },
      { ok: false, documented: 'fail', contract: 'fail' },
    ],
    [
      'blocked by a rule failing only in the contract class: a failure in the documented class',
      { results: [result(documentedToo, { blockedBy: must }), result(must, 'contract')] },
      { ok: false, documented: 'fail', contract: 'blocked' },
    ],
  ];
  test.each(cases)('%s', (_name, given, want) => {
    const verdict = judge(given.results, given.baseline, given.deciding ?? 'contract');
    expect(verdict.ok).toBe(want.ok);
    if ('documented' in want) expect(verdict.rules[0]!.verdicts.documented).toBe(want.documented);
    if (want.contract) expect(verdict.rules[0]!.verdicts.contract).toBe(want.contract);
    if (want.stale !== undefined) expect(verdict.rules[0]!.stale).toBe(want.stale);
  });

  test('the totals count each class apart, blocked rules apart', () => {
    const verdict = judge([
      result(documentedToo, { blockedBy: must }),
      result(must, 'documented'),
      result(designedRule, 'pass'),
    ]);
    expect(verdict.totals.documented).toMatchObject({ rules: 2, pass: 0, fail: 1, blocked: 1 });
    expect(verdict.totals.contract).toMatchObject({ rules: 3, pass: 1, fail: 1, blocked: 1 });
  });
});

describe('a bad baseline is a usage error before the run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baseline-'));
  test.each([
    ['a missing reason', { entries: [{ rule: 'ORD-CREATE' }] }, /entries\.0\.reason: is required/],
    [
      'a rule listed twice',
      {
        entries: [
          { rule: 'ORD-CREATE', reason: 'a' },
          { rule: 'ORD-CREATE', reason: 'b' },
        ],
      },
      /lists ORD-CREATE twice/,
    ],
    [
      'an entry naming no rule',
      { entries: [{ rule: 'NO-SUCH-RULE', reason: 'r' }] },
      /names no rule of the suite: NO-SUCH-RULE/,
    ],
  ])('%s', (_what, content, want) => {
    const file = join(dir, `${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(content));
    expect(() => loadBaseline(file)).toThrow(UsageError);
    expect(() => loadBaseline(file)).toThrow(want);
  });
});
