// The results document (results.json): every rule with its verdict in each class and its source, the failures with
// their class, the spec versions and hashes, the suite version and the target; secrets masked.
import type { ApiName } from '../../../contract/index.ts';
import { type ClassVerdict, type Verdict, verdictLine } from '../baseline.ts';
import { classOf } from '../context.ts';
import type { Exchange } from '../http.ts';
import type { RunResult } from '../runner.ts';
import { secrets } from '../secrets.ts';
import { SUITE_NAME, SUITE_VERSION, specIdentity } from '../version.ts';
import { curlOf } from './curl.ts';

const MAX_BODY_CHARS = 16_000;
const clip = (s: string) => (s.length > MAX_BODY_CHARS ? `${s.slice(0, MAX_BODY_CHARS)}… (${s.length} characters)` : s);

function exchangeView(e: Exchange, tokenRecipes: Record<string, string>) {
  return {
    request: {
      method: e.method,
      url: e.url,
      headers: e.requestHeaders,
      ...(e.requestBody !== undefined ? { body: clip(e.requestBody) } : {}),
    },
    response: { status: e.status, headers: e.responseHeaders, body: clip(e.responseText) },
    curl: curlOf(e, tokenRecipes),
  };
}

export function buildResults(run: RunResult, verdict: Verdict, baselineFile: string | undefined) {
  const apis = [...new Set(verdict.rules.map((r) => r.meta.api))] as ApiName[];
  const specs = Object.fromEntries(apis.map((api) => [api, specIdentity(api)]));
  const decided = verdict.totals[verdict.decidingClass];
  const doc = {
    suite: { name: SUITE_NAME, version: SUITE_VERSION },
    specs,
    target: { url: run.target, profile: run.profileName },
    run: {
      id: run.runId,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      durationMs: Math.round(run.durationMs),
      requests: run.requests,
    },
    baseline: baselineFile ?? null,
    /** What the reader should know that is neither a pass nor a failure (a fallback and its cost). */
    warnings: run.warnings,
    /** The class whose verdict decided `ok` and the exit status. */
    decidingClass: verdict.decidingClass,
    verdict: verdictLine(verdict.totals),
    ok: verdict.ok,
    /** Per class: how many rules it holds and how they ended. */
    classes: verdict.totals,
    totals: {
      rules: verdict.rules.length,
      pass: decided.pass,
      fail: decided.fail,
      blocked: decided.blocked,
      notVerified: decided.notVerified,
      knownFailure: decided.knownFailure,
      stale: verdict.rules.filter((r) => r.stale).length,
      mustFailures: decided.mustFailures,
    },
    rules: verdict.rules.map((r) => ({
      id: r.id,
      level: r.meta.level,
      api: r.meta.api,
      class: classOf(r.meta),
      operations: r.meta.operations,
      tags: r.meta.tags,
      title: r.meta.title,
      source: r.meta.source,
      /** The verdict in the deciding class; a designed rule is outside the documented class. */
      status: (r.verdicts[verdict.decidingClass] ?? 'not in class') as ClassVerdict | 'not in class',
      verdicts: r.verdicts,
      stale: r.stale,
      ...(r.baselineReason !== undefined ? { baselineReason: r.baselineReason } : {}),
      ...(r.reason !== undefined ? { notVerifiedBecause: r.reason } : {}),
      ...(r.blocked
        ? {
            blocked: {
              by: r.blocked.by,
              reason: r.blocked.reason,
              ...(r.blocked.exchange ? exchangeView(r.blocked.exchange, run.tokenRecipes) : {}),
            },
          }
        : {}),
      durationMs: Math.round(r.durationMs),
      requests: r.requests,
      failures: r.failures.map((f) => ({
        phase: f.phase,
        class: f.class,
        message: f.message,
        ...(f.source ? { source: f.source } : {}),
        ...(f.exchange ? exchangeView(f.exchange, run.tokenRecipes) : {}),
      })),
      trail: r.trail,
    })),
  };
  // Masking the serialised document catches a secret wherever it landed (a message, a header, a body).
  return JSON.parse(secrets.mask(JSON.stringify(doc))) as typeof doc;
}

export type ResultsDocument = ReturnType<typeof buildResults>;
export type RuleView = ResultsDocument['rules'][number];

/** What a rule's status cell says: its verdict per class, "blocked by X" and stale entries spelled out. */
export function describeVerdicts(r: RuleView): string {
  const cell = (cls: 'documented' | 'contract') => {
    const v = r.verdicts[cls];
    if (!v) return '—';
    return v === 'blocked' && r.blocked ? `blocked by ${r.blocked.by}` : v;
  };
  return `documented: ${cell('documented')} · contract: ${cell('contract')}${r.stale ? ' (stale baseline entry)' : ''}`;
}
