// JUnit XML from the results document: one testcase per rule, judged in the deciding class; known failures, blocked and
// unverified rules are skipped, stale entries fail.
import type { ResultsDocument } from './results.ts';

const esc = (s: string) =>
  s
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these control characters, even escaped; they are dropped
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

export function junitXml(doc: ResultsDocument): string {
  const apis = [...new Set(doc.rules.map((r) => r.api))];
  const suites = apis.map((api) => {
    const rules = doc.rules.filter((r) => r.api === api);
    const failures = rules.filter((r) => r.status === 'fail' || r.stale).length;
    const skipped = rules.filter(
      (r) => ['not verified', 'known failure', 'blocked', 'not in class'].includes(r.status) && !r.stale,
    ).length;
    const seconds = rules.reduce((s, r) => s + r.durationMs, 0) / 1000;
    const cases = rules.map((r) => {
      const name = `${r.id} [${r.level}, ${r.class}] ${r.title} (documented: ${r.verdicts.documented ?? '—'} · contract: ${r.verdicts.contract})`;
      const open = `    <testcase classname="${esc(`${api}.${r.operations[0]}`)}" name="${esc(name)}" time="${(r.durationMs / 1000).toFixed(3)}">`;
      let body = '';
      if (r.status === 'fail') {
        const detail = [
          ...(r.blocked ? [`precondition failed: ${r.blocked.reason} (${r.blocked.by} does not fail)`] : []),
          ...r.failures.map(
            (f) => `${f.phase} [${f.class}]: ${f.message}${'curl' in f && f.curl ? `\n${f.curl}` : ''}`,
          ),
        ].join('\n\n');
        const first = r.failures[0]?.message.split('\n')[0] ?? r.blocked?.reason ?? 'failed';
        body = `\n      <failure message="${esc(first)}" type="${r.level}">${esc(detail)}</failure>\n    `;
      } else if (r.stale)
        body = `\n      <failure message="stale baseline entry: the rule passes now" type="stale"/>\n    `;
      else if (r.status === 'known failure')
        body = `\n      <skipped message="${esc(`known failure: ${r.baselineReason ?? ''}`)}"/>\n    `;
      else if (r.status === 'blocked')
        body = `\n      <skipped message="${esc(`blocked by ${r.blocked?.by}: ${r.blocked?.reason ?? ''}`)}"/>\n    `;
      else if (r.status === 'not in class')
        body = `\n      <skipped message="${esc(`designed: judged in the contract class only (contract: ${r.verdicts.contract})`)}"/>\n    `;
      else if (r.status === 'not verified')
        body = `\n      <skipped message="${esc(`not verified: ${r.notVerifiedBecause ?? ''}`)}"/>\n    `;
      return `${open}${body}</testcase>`;
    });
    return `  <testsuite name="${esc(`conformance ${api} against ${doc.target.url} (${doc.decidingClass} class)`)}" tests="${rules.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds.toFixed(3)}" timestamp="${esc(doc.run.startedAt)}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${esc(`starmile-conformance ${doc.suite.version}: ${doc.verdict}`)}" tests="${doc.totals.rules}">\n${suites.join('\n')}\n</testsuites>\n`;
}
