// A self-contained HTML page built from the results document (no script, no external resource): both verdicts, rule table with a column per class, failures with their class, source and curl.
import type { ResultsDocument, RuleView } from './results.ts';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:76rem;padding:0 1rem;color:#1a1a1a}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
.pass{color:#137333}.fail{color:#b3261e;font-weight:600}.notverified{color:#8a6d00}.knownfailure{color:#0b57d0}.blocked{color:#7b1fa2}
pre{background:#f6f8fa;padding:.6rem;overflow:auto;white-space:pre-wrap;word-break:break-all}code{font-size:12px}
.summary span{margin-right:1.2rem}.verdict{font-size:1.15rem}details{margin:.4rem 0 1rem}`;

type Source = { seed?: string; quote?: string; designed?: string; specLocation?: string; decision?: string };
const sourceHtml = (src: Source) =>
  src.seed
    ? `${esc(src.seed)}: “${esc(src.quote ?? '')}”${src.decision ? ` (${esc(src.decision)})` : ''}`
    : `designed: ${esc(src.designed ?? '')} <code>${esc(src.specLocation ?? '')}</code>${src.decision ? ` (${esc(src.decision)})` : ''}`;

const cls = (s: string) => s.replace(/\s/g, '');

function verdictCell(r: RuleView, c: 'documented' | 'contract'): string {
  const v = r.verdicts[c];
  if (!v) return '<td>—</td>';
  const text = v === 'blocked' && r.blocked ? `blocked by <a href="#${esc(r.blocked.by)}">${esc(r.blocked.by)}</a>` : esc(v);
  return `<td class="${cls(v)}">${text}</td>`;
}

function failureSection(r: RuleView): string {
  const blocked = r.blocked ? `<p>Precondition failed: ${esc(r.blocked.reason)} (${r.verdicts.contract === 'blocked' ? `blocked by <a href="#${esc(r.blocked.by)}">${esc(r.blocked.by)}</a>, which fails` : `${esc(r.blocked.by)} does not fail, so this is this rule's failure`}).</p>` : '';
  const items = r.failures
    .map(
      (f) => `<details open><summary>[${esc(f.class)}] ${esc(f.phase)}: ${esc(f.message)}</summary>` +
        (f.source ? `<p>Rests on ${sourceHtml(f.source)}</p>` : '') +
        ('request' in f && f.request && f.response
          ? `<p>Request</p><pre>${esc(`${f.request.method} ${f.request.url}\n${Object.entries(f.request.headers).map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${f.request.body ?? ''}`)}</pre>` +
            `<p>Response</p><pre>${esc(`${f.response.status}\n${Object.entries(f.response.headers).map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${f.response.body}`)}</pre>` +
            `<p>Reproduce</p><pre>${esc(f.curl ?? '')}</pre>`
          : '') +
        `</details>`,
    )
    .join('');
  return `<h3 id="fail-${esc(r.id)}">${esc(r.id)} <small>[${r.level}, ${esc(r.class)}; documented: ${esc(r.verdicts.documented ?? '—')} · contract: ${esc(r.verdicts.contract ?? '—')}]</small></h3><p>${esc(r.title)}<br><small>${sourceHtml(r.source)}</small></p>${blocked}${items}`;
}

export function htmlPage(doc: ResultsDocument): string {
  const c = doc.classes[doc.decidingClass as 'contract'];
  const rows = doc.rules
    .map((r) => {
      const note = r.stale ? ' <small>(stale baseline entry)</small>' : r.baselineReason ? `<br><small>${esc(r.baselineReason)}</small>` : r.notVerifiedBecause ? `<br><small>${esc(r.notVerifiedBecause)}</small>` : '';
      return `<tr id="${esc(r.id)}"><td><a href="#${esc(r.id)}">${esc(r.id)}</a>${note}</td><td>${r.level}</td>${verdictCell(r, 'documented')}${verdictCell(r, 'contract')}<td>${esc(r.operations.join(', '))}</td><td>${esc(r.title)}<br><small>${sourceHtml(r.source)}</small></td></tr>`;
    })
    .join('\n');
  const failures = doc.rules.filter((r) => r.failures.length || (r.blocked && Object.values(r.verdicts).includes('fail'))).map(failureSection).join('\n');
  const specs = Object.entries(doc.specs).map(([api, s]) => `${esc(api)} ${esc(s.version)} (sha256 <code>${esc(s.sha256)}</code>)`).join('; ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Conformance: ${esc(doc.target.url)}</title><style>${CSS}</style></head>
<body>
<h1>Conformance results</h1>
<p>Target <code>${esc(doc.target.url)}</code> (${esc(doc.target.profile)}), run <code>${esc(doc.run.id)}</code>, ${esc(doc.run.startedAt)}; suite ${esc(doc.suite.version)}; spec ${specs}${doc.baseline ? `; baseline <code>${esc(doc.baseline)}</code>` : ''}.</p>
<p class="verdict"><strong class="${doc.ok ? 'pass' : 'fail'}">${doc.ok ? 'OK' : 'NOT OK'}</strong> ${esc(doc.verdict)}</p>
<p>The <strong>documented</strong> class holds only what the published documents state; the <strong>contract</strong> class is the whole spec, designed parts included. The ${esc(doc.decidingClass)} class decides the exit status.</p>
<p class="summary"><span class="pass">${c.pass} pass</span><span class="fail">${c.fail} fail (${c.mustFailures} MUST)</span><span class="blocked">${c.blocked} blocked</span><span class="notverified">${c.notVerified} not verified</span><span class="knownfailure">${c.knownFailure} known failure</span>${doc.totals.stale ? `<span class="fail">${doc.totals.stale} stale</span>` : ''}<span>${doc.run.requests} requests, ${(doc.run.durationMs / 1000).toFixed(2)} s</span></p>
<table><thead><tr><th>Rule</th><th>Level</th><th>Documented</th><th>Contract</th><th>Operations</th><th>Rule and source</th></tr></thead><tbody>
${rows}
</tbody></table>
${failures ? `<h2>Failures</h2>\n${failures}` : ''}
</body></html>
`;
}
