// Known failures keyed by rule id: a failing rule listed there is a known failure; a listed rule that passes is stale.
import { readFileSync } from 'node:fs';
import { compileSchema, toFieldErrors } from '../../scripts/lib/contract.ts';
import { ruleById } from '../registry/index.ts';
import type { RuleMeta } from '../registry/types.ts';
import type { RuleResult } from './runner.ts';

export interface Baseline {
  target?: string;
  entries: { rule: string; reason: string }[];
}

export type FinalStatus = 'pass' | 'fail' | 'not verified' | 'known failure';

export interface Judged extends RuleResult {
  meta: RuleMeta;
  final: FinalStatus;
  /** Listed in the baseline but passing now: the entry must go. */
  stale: boolean;
  baselineReason?: string;
}

export interface Verdict {
  rules: Judged[];
  /** Baseline entries naming no rule of the registry. */
  unknownEntries: string[];
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

export function loadBaseline(file: string): Baseline {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  validate ??= compileSchema(schema);
  if (!validate(parsed)) {
    const problems = Object.entries(toFieldErrors(validate.errors)).map(([p, m]) => `${p}: ${m.join('; ')}`);
    throw new Error(`The baseline ${file} is not valid:\n  ${problems.join('\n  ')}`);
  }
  const baseline = parsed as Baseline;
  const seen = new Set<string>();
  for (const e of baseline.entries) {
    if (seen.has(e.rule)) throw new Error(`The baseline ${file} lists ${e.rule} twice`);
    seen.add(e.rule);
  }
  return baseline;
}

/**
 * Applies a baseline. The run fails on a new MUST failure, a stale entry or an entry naming no rule; with a baseline
 * in use, a new SHOULD or MAY failure fails it too (the baseline is meant to list every known failure).
 */
export function judge(results: RuleResult[], baseline?: Baseline): Verdict {
  const known = new Map((baseline?.entries ?? []).map((e) => [e.rule, e.reason]));
  const rules = results.map((r): Judged => {
    const meta = ruleById.get(r.id)!;
    const reason = known.get(r.id);
    const final: FinalStatus = r.status === 'fail' && reason !== undefined ? 'known failure' : r.status;
    return { ...r, meta, final, stale: r.status === 'pass' && reason !== undefined, ...(reason !== undefined ? { baselineReason: reason } : {}) };
  });
  const unknownEntries = [...known.keys()].filter((id) => !ruleById.has(id));
  const ok = !rules.some((r) => r.stale || (r.final === 'fail' && (r.meta.level === 'MUST' || baseline !== undefined))) && !unknownEntries.length;
  return { rules, unknownEntries, ok };
}

/** The entry to paste into a baseline for a new failure. */
export const baselineEntry = (r: Judged): string =>
  JSON.stringify({ rule: r.id, reason: `TODO why: ${r.failures[0]?.message.split('\n')[0]?.slice(0, 160) ?? 'fails'}` });
