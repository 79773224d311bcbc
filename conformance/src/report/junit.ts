// JUnit XML from the results document: one testcase per rule; known failures and unverified rules are skipped, stale entries fail.
import type { ResultsDocument } from './results.ts';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

export function junitXml(doc: ResultsDocument): string {
  const apis = [...new Set(doc.rules.map((r) => r.api))];
  const suites = apis.map((api) => {
    const rules = doc.rules.filter((r) => r.api === api);
    const failures = rules.filter((r) => r.status === 'fail' || r.stale).length;
    const skipped = rules.filter((r) => (r.status === 'not verified' || r.status === 'known failure') && !r.stale).length;
    const seconds = rules.reduce((s, r) => s + r.durationMs, 0) / 1000;
    const cases = rules.map((r) => {
      const open = `    <testcase classname="${esc(`${api}.${r.operations[0]}`)}" name="${esc(`${r.id} [${r.level}] ${r.title}`)}" time="${(r.durationMs / 1000).toFixed(3)}">`;
      let body = '';
      if (r.status === 'fail') {
        const detail = r.failures.map((f) => `${f.phase}: ${f.message}${'curl' in f && f.curl ? `\n${f.curl}` : ''}`).join('\n\n');
        body = `\n      <failure message="${esc(r.failures[0]?.message.split('\n')[0] ?? 'failed')}" type="${r.level}">${esc(detail)}</failure>\n    `;
      } else if (r.stale) body = `\n      <failure message="stale baseline entry: the rule passes now" type="stale"/>\n    `;
      else if (r.status === 'known failure') body = `\n      <skipped message="${esc(`known failure: ${r.baselineReason ?? ''}`)}"/>\n    `;
      else if (r.status === 'not verified') body = `\n      <skipped message="${esc(`not verified: ${r.notVerifiedBecause ?? ''}`)}"/>\n    `;
      return `${open}${body}</testcase>`;
    });
    return `  <testsuite name="${esc(`conformance ${api} against ${doc.target.url}`)}" tests="${rules.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds.toFixed(3)}" timestamp="${esc(doc.run.startedAt)}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="starmile-conformance ${doc.suite.version}" tests="${doc.totals.rules}">\n${suites.join('\n')}\n</testsuites>\n`;
}
