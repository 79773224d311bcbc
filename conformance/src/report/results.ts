// The results document (results.json): every rule with its status and source, the spec versions and hashes, the suite version and the target; secrets masked.
import { createHash } from 'node:crypto';
import { loadSpec, specBytes, type ApiName } from '../../../scripts/lib/contract.ts';
import type { Verdict } from '../baseline.ts';
import type { Exchange } from '../http.ts';
import type { RunResult } from '../runner.ts';
import { secrets } from '../secrets.ts';
import { curlOf } from './curl.ts';

/** Bumped when a rule's check changes what it accepts; reports name it so results stay comparable. */
export const SUITE_VERSION = '1.0.0';

const MAX_BODY_CHARS = 4000;
const clip = (s: string) => (s.length > MAX_BODY_CHARS ? `${s.slice(0, MAX_BODY_CHARS)}… (${s.length} characters)` : s);

function exchangeView(e: Exchange) {
  return {
    request: { method: e.method, url: e.url, headers: e.requestHeaders, ...(e.requestBody !== undefined ? { body: clip(e.requestBody) } : {}) },
    response: { status: e.status, headers: e.responseHeaders, body: clip(e.responseText) },
    ...(e.problems.length ? { contractProblems: e.problems } : {}),
  };
}

export function buildResults(run: RunResult, verdict: Verdict, baselineFile: string | undefined) {
  const apis = [...new Set(verdict.rules.map((r) => r.meta.api))] as ApiName[];
  const specs = Object.fromEntries(
    apis.map((api) => [api, { title: loadSpec(api).info.title as string, version: loadSpec(api).info.version as string, sha256: createHash('sha256').update(specBytes(api)).digest('hex') }]),
  );
  const count = (pred: (r: Verdict['rules'][number]) => boolean) => verdict.rules.filter(pred).length;
  const doc = {
    suite: { name: 'starmile-conformance', version: SUITE_VERSION },
    specs,
    target: { url: run.target, profile: run.profileName },
    run: { id: run.runId, startedAt: run.startedAt, finishedAt: run.finishedAt, durationMs: Math.round(run.durationMs), requests: run.requests },
    baseline: baselineFile ?? null,
    ok: verdict.ok,
    totals: {
      rules: verdict.rules.length,
      pass: count((r) => r.final === 'pass'),
      fail: count((r) => r.final === 'fail'),
      notVerified: count((r) => r.final === 'not verified'),
      knownFailure: count((r) => r.final === 'known failure'),
      stale: count((r) => r.stale),
      mustFailures: count((r) => r.final === 'fail' && r.meta.level === 'MUST'),
    },
    unknownBaselineEntries: verdict.unknownEntries,
    rules: verdict.rules.map((r) => ({
      id: r.id,
      level: r.meta.level,
      api: r.meta.api,
      operations: r.meta.operations,
      tags: r.meta.tags,
      title: r.meta.title,
      source: r.meta.source,
      status: r.final,
      stale: r.stale,
      ...(r.baselineReason !== undefined ? { baselineReason: r.baselineReason } : {}),
      ...(r.reason !== undefined ? { notVerifiedBecause: r.reason } : {}),
      durationMs: Math.round(r.durationMs),
      requests: r.requests,
      failures: r.failures.map((f) => ({
        phase: f.phase,
        message: f.message,
        ...(f.exchange ? { ...exchangeView(f.exchange), curl: curlOf(f.exchange, run.tokenRecipes) } : {}),
      })),
      trail: r.trail,
    })),
  };
  // Masking the serialised document catches a secret wherever it landed (a message, a header, a body).
  return JSON.parse(secrets.mask(JSON.stringify(doc))) as typeof doc;
}

export type ResultsDocument = ReturnType<typeof buildResults>;
