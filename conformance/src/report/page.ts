// A self-contained HTML page built from the results document (no script, no external resource): summary, rule table, failures with curl.
import type { ResultsDocument } from './results.ts';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1a1a1a}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
.pass{color:#137333}.fail{color:#b3261e;font-weight:600}.notverified{color:#8a6d00}.knownfailure{color:#0b57d0}
pre{background:#f6f8fa;padding:.6rem;overflow:auto;white-space:pre-wrap;word-break:break-all}code{font-size:12px}
.summary span{margin-right:1.2rem}details{margin:.4rem 0 1rem}`;

export function htmlPage(doc: ResultsDocument): string {
  const cls = (s: string) => s.replace(/\s/g, '');
  const t = doc.totals;
  const rows = doc.rules
    .map((r) => {
      const src = r.source as { seed?: string; quote?: string; designed?: string; specLocation?: string };
      const source = src.seed ? `${esc(src.seed)}: “${esc(src.quote ?? '')}”` : `designed: ${esc(src.designed ?? '')} <code>${esc(src.specLocation ?? '')}</code>`;
      const note = r.stale ? ' (stale baseline entry)' : r.baselineReason ? `<br><small>${esc(r.baselineReason)}</small>` : r.notVerifiedBecause ? `<br><small>${esc(r.notVerifiedBecause)}</small>` : '';
      return `<tr id="${esc(r.id)}"><td><a href="#${esc(r.id)}">${esc(r.id)}</a></td><td>${r.level}</td><td class="${cls(r.status)}">${esc(r.status)}${note}</td><td>${esc(r.operations.join(', '))}</td><td>${esc(r.title)}<br><small>${source}</small></td></tr>`;
    })
    .join('\n');
  const failures = doc.rules
    .filter((r) => r.failures.length)
    .map(
      (r) => `<h3 id="fail-${esc(r.id)}">${esc(r.id)} <small>[${r.level}, ${esc(r.status)}]</small></h3><p>${esc(r.title)}</p>` +
        r.failures
          .map(
            (f) => `<details open><summary>${esc(f.phase)}: ${esc(f.message)}</summary>` +
              ('request' in f && f.request && f.response
                ? `<p>Request</p><pre>${esc(`${f.request.method} ${f.request.url}\n${Object.entries(f.request.headers).map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${f.request.body ?? ''}`)}</pre>` +
                  `<p>Response</p><pre>${esc(`${f.response.status}\n${Object.entries(f.response.headers).map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${f.response.body}`)}</pre>` +
                  `<p>Reproduce</p><pre>${esc(f.curl ?? "")}</pre>`
                : '') +
              `</details>`,
          )
          .join(''),
    )
    .join('\n');
  const specs = Object.entries(doc.specs).map(([api, s]) => `${esc(api)} ${esc(s.version)} (sha256 <code>${esc(s.sha256)}</code>)`).join('; ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Conformance: ${esc(doc.target.url)}</title><style>${CSS}</style></head>
<body>
<h1>Conformance results</h1>
<p>Target <code>${esc(doc.target.url)}</code> (${esc(doc.target.profile)}), run <code>${esc(doc.run.id)}</code>, ${esc(doc.run.startedAt)}; suite ${esc(doc.suite.version)}; spec ${specs}${doc.baseline ? `; baseline <code>${esc(doc.baseline)}</code>` : ''}.</p>
<p class="summary"><strong class="${doc.ok ? 'pass' : 'fail'}">${doc.ok ? 'OK' : 'NOT OK'}</strong>
<span class="pass">${t.pass} pass</span><span class="fail">${t.fail} fail (${t.mustFailures} MUST)</span><span class="notverified">${t.notVerified} not verified</span><span class="knownfailure">${t.knownFailure} known failure</span>${t.stale ? `<span class="fail">${t.stale} stale</span>` : ''}<span>${doc.run.requests} requests, ${(doc.run.durationMs / 1000).toFixed(2)} s</span></p>
<table><thead><tr><th>Rule</th><th>Level</th><th>Status</th><th>Operations</th><th>Rule and source</th></tr></thead><tbody>
${rows}
</tbody></table>
${failures ? `<h2>Failures</h2>\n${failures}` : ''}
</body></html>
`;
}
