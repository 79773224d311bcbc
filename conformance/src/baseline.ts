// Judges a run: each rule's verdict in each class (documented, contract), blocked rules resolved to their root, and
// known failures keyed by rule id (a listed rule that passes is stale).
import { readFileSync } from 'node:fs';
import { compileSchema, toFieldErrors } from '../../contract/index.ts';
import { ruleById } from '../registry/index.ts';
import type { AssertionClass } from '../registry/types.ts';
import { classOf } from './context.ts';
import type { RuleDefinition } from './define.ts';
import type { RuleResult } from './runner.ts';
import { UsageError } from './usage.ts';

export const CLASSES: readonly AssertionClass[] = ['documented', 'contract'];

export interface Baseline {
  target?: string;
  entries: { rule: string; reason: string }[];
}

export type ClassVerdict = 'pass' | 'fail' | 'blocked' | 'not verified' | 'known failure';

export interface Judged extends RuleResult {
  meta: RuleDefinition;
  /**
   * The verdict in each class the rule belongs to: every rule is in the contract class, a rule resting on the documents
   * in the documented class too.
   */
  verdicts: Partial<Record<AssertionClass, ClassVerdict>>;
  /** Listed in the baseline but passing in the deciding class: the entry must go. */
  stale: boolean;
  baselineReason?: string;
}

export interface ClassTotals {
  rules: number;
  pass: number;
  fail: number;
  mustFailures: number;
  blocked: number;
  notVerified: number;
  knownFailure: number;
}

export interface Verdict {
  rules: Judged[];
  /** The class whose verdict decides the exit status (`--class`). */
  decidingClass: AssertionClass;
  totals: Record<AssertionClass, ClassTotals>;
  ok: boolean;
}

const schema = {
  type: 'object',
  required: ['entries'],
  additionalProperties: false,
  properties: {
    $comment: { type: 'string' },
    target: { type: 'string' },
    entries: {
      type: 'array',
      items: {
        type: 'object',
        required: ['rule', 'reason'],
        additionalProperties: false,
        properties: { rule: { type: 'string', minLength: 1 }, reason: { type: 'string', minLength: 1 } },
      },
    },
  },
};
let validate: ReturnType<typeof compileSchema> | undefined;

/**
 * Reads a baseline; a malformed file, a rule listed twice or an entry naming no rule is a usage error, before any rule
 * runs.
 */
export function loadBaseline(file: string): Baseline {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new UsageError(`Cannot read the baseline ${file}: ${(error as Error).message}`);
  }
  validate ??= compileSchema(schema);
  if (!validate(parsed)) {
    const problems = Object.entries(toFieldErrors(validate.errors)).map(([p, m]) => `${p}: ${m.join('; ')}`);
    throw new UsageError(`The baseline ${file} is not valid:\n  ${problems.join('\n  ')}`);
  }
  const baseline = parsed as Baseline;
  const seen = new Set<string>();
  for (const e of baseline.entries) {
    if (seen.has(e.rule)) throw new UsageError(`The baseline ${file} lists ${e.rule} twice`);
    seen.add(e.rule);
  }
  const unknown = baseline.entries.filter((e) => !ruleById.has(e.rule)).map((e) => e.rule);
  if (unknown.length)
    throw new UsageError(
      `The baseline ${file} names no rule of the suite: ${unknown.join(', ')} (a renamed rule, or a typo)`,
    );
  return baseline;
}

/** A rule's verdict in one class before the baseline: undefined when it is not in that class. */
function classVerdict(
  r: RuleResult & { meta: RuleDefinition },
  cls: AssertionClass,
  byId: Map<string, RuleResult & { meta: RuleDefinition }>,
  visiting = new Set<string>(),
): Exclude<ClassVerdict, 'known failure'> | undefined {
  if (cls === 'documented' && classOf(r.meta) !== 'documented') return undefined;
  if (r.failures.some((f) => cls === 'contract' || f.class === 'documented')) return 'fail';
  if (r.blocked) {
    // Blocked only while the rule at the root fails in this class too; otherwise the failed precondition is this rule's
    // failure.
    const root = byId.get(r.blocked.by);
    if (!root || root.id === r.id || visiting.has(r.id)) return 'fail';
    visiting.add(r.id);
    const rootVerdict = classVerdict(root, cls, byId, visiting);
    return rootVerdict === 'fail' || rootVerdict === 'blocked' ? 'blocked' : 'fail';
  }
  if (r.status === 'not verified') return 'not verified';
  return 'pass';
}

/**
 * Applies the deciding class and a baseline. The run fails on a new MUST failure in the deciding class and on a stale
 * entry; with a baseline in use, a new SHOULD or MAY failure fails it too (the baseline is meant to list every known failure).
 */
export function judge(results: RuleResult[], baseline?: Baseline, decidingClass: AssertionClass = 'contract'): Verdict {
  const known = new Map((baseline?.entries ?? []).map((e) => [e.rule, e.reason]));
  const withMeta = results.map((r) => ({ ...r, meta: ruleById.get(r.id)! }));
  const byId = new Map(withMeta.map((r) => [r.id, r]));
  const rules = withMeta.map((r): Judged => {
    const reason = known.get(r.id);
    const verdicts: Judged['verdicts'] = {};
    for (const cls of CLASSES) {
      const v = classVerdict(r, cls, byId);
      if (v) verdicts[cls] = v === 'fail' && reason !== undefined ? 'known failure' : v;
    }
    return {
      ...r,
      verdicts,
      stale: reason !== undefined && verdicts[decidingClass] === 'pass',
      ...(reason !== undefined ? { baselineReason: reason } : {}),
    };
  });
  const totals = Object.fromEntries(
    CLASSES.map((cls) => {
      const members = rules.filter((r) => r.verdicts[cls]);
      const count = (v: ClassVerdict) => members.filter((r) => r.verdicts[cls] === v).length;
      return [
        cls,
        {
          rules: members.length,
          pass: count('pass'),
          fail: count('fail'),
          mustFailures: members.filter((r) => r.verdicts[cls] === 'fail' && r.meta.level === 'MUST').length,
          blocked: count('blocked'),
          notVerified: count('not verified'),
          knownFailure: count('known failure'),
        },
      ];
    }),
  ) as Record<AssertionClass, ClassTotals>;
  const ok = !rules.some(
    (r) => r.stale || (r.verdicts[decidingClass] === 'fail' && (r.meta.level === 'MUST' || baseline !== undefined)),
  );
  return { rules, decidingClass, totals, ok };
}

/** "documented: 61/61 pass · contract: 112/114 pass": the two verdicts side by side. */
export const verdictLine = (totals: Record<AssertionClass, ClassTotals>): string =>
  CLASSES.map((cls) => `${cls}: ${totals[cls].pass}/${totals[cls].rules} pass`).join(' · ');
