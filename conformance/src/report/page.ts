// The HTML report, one self-contained file built from the results document: the verdict of each class and a summary per
// tag at the top, filters (failures only, class, tag, level), the rule table linking to each failure, and each failure
// in words with its source, its exchange pretty-printed and a curl command whose placeholders the page explains.
import { STATUS_CODES } from 'node:http';
import type { AssertionClass } from '../../registry/types.ts';
import { thousands } from '../numbers.ts';
import { CSS, SCRIPT } from './page-assets.ts';
import type { ResultsDocument, RuleView } from './results.ts';

const CLASSES: AssertionClass[] = ['documented', 'contract'];
const VERDICTS = ['pass', 'fail', 'blocked', 'not verified', 'known failure'] as const;
const MAX_LINES = 150;

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const cls = (verdict: string) => verdict.replace(/\s/g, '');
const plural = (n: number, one: string, many = `${one}s`) => `${thousands(n)} ${n === 1 ? one : many}`;

type Source =
  | RuleView['source']
  | { seed?: string; quote?: string; designed?: string; specLocation?: string; decision?: string };
type Failure = RuleView['failures'][number];
type Exchange = {
  request?: { method: string; url: string; headers: Record<string, string>; body?: string };
  response?: { status: number; headers: Record<string, string>; body: string };
  curl?: string;
};

function sourceHtml(src: Source): string {
  const s = src as { seed?: string; quote?: string; designed?: string; specLocation?: string; decision?: string };
  const decision = s.decision ? ` (decision ${esc(s.decision)})` : '';
  return s.seed
    ? `<blockquote>“${esc(s.quote ?? '')}”<br><small>${esc(s.seed)}${decision}</small></blockquote>`
    : `<p class="designed">Designed: ${esc(s.designed ?? '')} <small>at <code>${esc(s.specLocation ?? '')}</code>${decision}</small></p>`;
}

/** Whether the rule has a failure section: it failed in a class, or its baseline entry is stale. */
const hasSection = (r: RuleView) =>
  r.failures.length > 0 || r.stale || (!!r.blocked && Object.values(r.verdicts).includes('fail'));

function verdictCell(r: RuleView, c: AssertionClass): string {
  const v = r.verdicts[c];
  if (!v) return '<td class="muted" title="a designed rule is judged in the contract class only">—</td>';
  if (v === 'fail') return `<td><a class="fail" href="#fail-${esc(r.id)}">FAIL</a></td>`;
  if (v === 'blocked' && r.blocked)
    return `<td class="blocked">blocked by <a href="#${esc(r.blocked.by)}">${esc(r.blocked.by)}</a></td>`;
  if (v === 'not verified')
    return `<td class="notverified" title="${esc(r.notVerifiedBecause ?? '')}">not verified</td>`;
  return `<td class="${cls(v)}">${esc(v)}</td>`;
}

/** Attributes the filters read: the classes a rule is in, those it fails in, its tags, its level. */
const filterData = (r: RuleView) =>
  `data-classes="${CLASSES.filter((c) => r.verdicts[c]).join(' ')}" data-failing="${CLASSES.filter((c) => r.verdicts[c] === 'fail' || (c === 'contract' && r.stale)).join(' ')}" data-tags="${esc(r.tags.join(' '))}" data-level="${r.level}"`;

function pretty(text: string): string {
  let out = text;
  try {
    out = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // Not JSON (or cut short for the report): shown as it came.
  }
  const lines = out.split('\n');
  return lines.length > MAX_LINES
    ? `${lines.slice(0, MAX_LINES).join('\n')}\n… ${lines.length - MAX_LINES} more lines`
    : out;
}

const headers = (h: Record<string, string>) =>
  Object.entries(h)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');

function exchangeHtml(x: Exchange): string {
  if (!x.request || !x.response) return '';
  const req = x.request;
  const res = x.response;
  return (
    `<div class="exchange"><div><h4>Request</h4><pre>${esc(`${req.method} ${req.url}\n${headers(req.headers)}${req.body !== undefined ? `\n\n${pretty(req.body)}` : ''}`)}</pre></div>` +
    `<div><h4>Response</h4><pre>${esc(`${res.status} ${STATUS_CODES[res.status] ?? ''}\n${headers(res.headers)}${res.body ? `\n\n${pretty(res.body)}` : ''}`)}</pre></div></div>` +
    (x.curl
      ? `<div class="repro"><h4>Reproduce <a href="#placeholders">(the placeholders)</a></h4><pre>${esc(x.curl)}</pre></div>`
      : '')
  );
}

function failureHtml(f: Failure, open: boolean): string {
  const rests = f.source ? `<p>Rests on:</p>${sourceHtml(f.source)}` : '';
  return `<details class="failure"${open ? ' open' : ''}><summary>${f.phase === 'cleanup' ? 'Cleanup: ' : ''}${esc(f.message)} <span class="tag">${esc(f.class)}</span></summary>${rests}${exchangeHtml(f as Exchange)}</details>`;
}

function failureSection(r: RuleView): string {
  const verdicts = CLASSES.filter((c) => r.verdicts[c])
    .map((c) => `<span class="tag">${c}: <span class="${cls(r.verdicts[c]!)}">${esc(r.verdicts[c]!)}</span></span>`)
    .join(' ');
  const blocked = r.blocked
    ? `<p>Precondition failed: ${esc(r.blocked.reason)}. ${r.verdicts.contract === 'blocked' ? `Blocked by <a href="#fail-${esc(r.blocked.by)}">${esc(r.blocked.by)}</a>, which fails.` : `${esc(r.blocked.by)} does not fail, so this is this rule's own failure.`}</p>${exchangeHtml(r.blocked as Exchange)}`
    : '';
  const stale = r.stale
    ? `<p class="fail">Stale baseline entry: this rule passes now; remove it from the baseline.</p>`
    : '';
  const open = r.failures.length <= 2;
  return (
    `<section class="failure-rule" id="fail-${esc(r.id)}" ${filterData(r)}><div class="head"><h3><a href="#${esc(r.id)}">${esc(r.id)}</a></h3><span class="tag">${r.level}</span>${verdicts}</div>` +
    `<p>${esc(r.title)}</p>${sourceHtml(r.source)}${stale}${blocked}${r.failures.map((f) => failureHtml(f, open)).join('')}</section>`
  );
}

function classCard(doc: ResultsDocument, c: AssertionClass): string {
  const t = doc.classes[c];
  const deciding = doc.decidingClass === c;
  const parts = [
    `${t.fail} fail${t.mustFailures ? ` (${t.mustFailures} MUST)` : ''}`,
    `${t.blocked} blocked`,
    `${t.notVerified} not verified`,
    ...(t.knownFailure ? [`${t.knownFailure} known failure${t.knownFailure === 1 ? '' : 's'}`] : []),
  ];
  const what =
    c === 'documented' ? 'What the published documents state.' : 'The whole contract, designed parts included.';
  return `<div class="card${deciding ? ' deciding' : ''}"><h2>${c === 'documented' ? 'Documented' : 'Contract'} ${deciding ? '<span class="tag">decides the exit status</span>' : ''}</h2><div class="big ${t.fail ? 'fail' : 'pass'}">${t.pass} / ${t.rules} pass</div><p>${parts.join(' · ')}</p><p>${what}</p></div>`;
}

/**
 * One chip per tag, failing tags first: its counts in the deciding class and a bar of them; a click filters the table
 * by it.
 */
function tagSummary(doc: ResultsDocument): string {
  const c = doc.decidingClass as AssertionClass;
  const chips = [...new Set(doc.rules.flatMap((r) => r.tags))]
    .map((tag) => {
      const rules = doc.rules.filter((r) => r.tags.includes(tag) && r.verdicts[c]);
      return { tag, rules: rules.length, counts: VERDICTS.map((v) => rules.filter((r) => r.verdicts[c] === v).length) };
    })
    .filter((t) => t.rules)
    .sort((a, b) => b.counts[1]! - a.counts[1]! || a.tag.localeCompare(b.tag));
  const chip = ({ tag, rules, counts }: (typeof chips)[number]) => {
    const [pass, fail] = counts as [number, number];
    const others = VERDICTS.slice(2)
      .map((v, i) => (counts[i + 2] ? `${counts[i + 2]} ${v}` : ''))
      .filter(Boolean);
    const bar = VERDICTS.map((v, i) =>
      counts[i] ? `<i class="${cls(v)}" style="width:${((100 * counts[i]!) / rules).toFixed(1)}%"></i>` : '',
    ).join('');
    return `<button type="button" class="tagchip${fail ? ' failing' : ''}" data-tag="${esc(tag)}"><span class="name">${esc(tag)}</span><span class="nums">${fail ? `<b class="fail">${fail} fail</b> · ` : ''}${pass}/${rules} pass${others.length ? ` · ${others.join(' · ')}` : ''}</span><span class="bar">${bar}</span></button>`;
  };
  return `<div class="tagsum">${chips.map(chip).join('')}</div>`;
}

/** What each placeholder of the page's curl commands stands for, so a reader can run them. */
function legend(doc: ResultsDocument): string {
  const curls = doc.rules.flatMap((r) =>
    [...r.failures, ...(r.blocked ? [r.blocked] : [])].map((f) => (f as Exchange).curl ?? ''),
  );
  const names = [
    ...new Set(curls.flatMap((c) => [...c.matchAll(/\$\{?([A-Z][A-Z0-9_]*)\}?/g)].map((m) => m[1]!))),
  ].sort();
  if (!names.length) return '';
  const describe = (name: string) => {
    if (name.startsWith('STARMILE_TOKEN_'))
      return "An access token of the client it names (and the scope it was narrowed to): the line that sets it, just above the curl command, obtains it from the token endpoint with the client's secret.";
    if (name === 'STARMILE_BASIC_WRONG_CREDENTIALS')
      return 'HTTP Basic credentials with a wrong secret: base64 of client_id:wrong-secret.';
    if (name.startsWith('STARMILE_BASIC'))
      return "HTTP Basic credentials: base64 of client_id:client_secret of the profile's full credential.";
    if (name.startsWith('STARMILE_SECRET_'))
      return 'The secret of the client it names, written in the profile: export it under this name before running the commands.';
    return 'A secret your profile reads from this environment variable: it is set where you run the suite.';
  };
  return `<h2 id="placeholders">The placeholders in the curl commands</h2><p>No secret and no token appears on this page; the commands name them instead.</p><dl class="legend">${names.map((n) => `<dt>$${esc(n)}</dt><dd>${esc(describe(n))}</dd>`).join('')}</dl>`;
}

function banner(doc: ResultsDocument): string {
  const c = doc.classes[doc.decidingClass as AssertionClass];
  const stale = doc.totals.stale
    ? `, ${plural(doc.totals.stale, 'stale baseline entry', 'stale baseline entries')}`
    : '';
  const text = doc.ok
    ? `Every MUST rule of the ${esc(doc.decidingClass)} class passes or is a known failure.`
    : `${plural(c.fail, 'rule fails', 'rules fail')} in the ${esc(doc.decidingClass)} class (${c.mustFailures} MUST)${stale}; that class decides the exit status.`;
  return `<div class="banner ${doc.ok ? 'ok' : 'notok'}"><strong class="${doc.ok ? 'pass' : 'fail'}">${doc.ok ? 'OK' : 'NOT OK'}</strong>${text} <small>(${esc(doc.verdict)})</small></div>`;
}

export function htmlPage(doc: ResultsDocument): string {
  const specs = Object.entries(doc.specs)
    .map(
      ([api, s]) =>
        `${esc(s.title)} ${esc(s.version)} <small>(${esc(api)}, sha256 <code title="${esc(s.sha256)}">${esc(s.sha256.slice(0, 12))}…</code>)</small>`,
    )
    .join('; ');
  const tags = [...new Set(doc.rules.flatMap((r) => r.tags))].sort();
  const rows = doc.rules
    .map((r) => {
      const note = r.stale
        ? '<br><small class="fail">stale baseline entry</small>'
        : r.baselineReason
          ? `<br><small>known: ${esc(r.baselineReason)}</small>`
          : r.notVerifiedBecause
            ? `<br><small>${esc(r.notVerifiedBecause)}</small>`
            : '';
      const failing = CLASSES.some((c) => r.verdicts[c] === 'fail');
      return `<tr id="${esc(r.id)}" ${filterData(r)}${failing ? ' class="failing"' : ''}><td><code>${esc(r.id)}</code>${note}</td><td>${r.level}</td>${verdictCell(r, 'documented')}${verdictCell(r, 'contract')}<td><small>${esc(r.operations.join(', '))}</small></td><td>${esc(r.title)}</td></tr>`;
    })
    .join('\n');
  const failing = doc.rules.filter(hasSection);
  const warnings = doc.warnings.length
    ? `<div class="warning"><strong>${plural(doc.warnings.length, 'warning')}</strong><ul>${doc.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul></div>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${doc.ok ? 'OK' : 'NOT OK'} · Starmile conformance · ${esc(doc.target.url)}</title><style>${CSS}</style></head>
<body><main>
<h1>Starmile conformance report</h1>
<p class="meta">Target <code>${esc(doc.target.url)}</code>, profile “${esc(doc.target.profile)}” · run <code>${esc(doc.run.id)}</code>, ${esc(doc.run.startedAt)}, ${thousands(doc.run.requests)} requests in ${(doc.run.durationMs / 1000).toFixed(2)} s<br>${esc(doc.suite.name)} ${esc(doc.suite.version)} · ${specs}${doc.baseline ? ` · baseline <code>${esc(doc.baseline)}</code>` : ''}</p>
${banner(doc)}
<div class="cards">${CLASSES.map((c) => classCard(doc, c)).join('')}</div>
${warnings}
<h2>By tag <small class="tag">${esc(doc.decidingClass)} class · click one to filter the rules</small></h2>
${tagSummary(doc)}
<h2 id="rules">Rules</h2>
<div class="filters">
<label><input type="checkbox" id="f-failing"${doc.ok ? '' : ' checked'}> Failures only</label>
<label>Class <select id="f-class"><option value="">both</option><option value="documented">documented</option><option value="contract">contract</option></select></label>
<label>Tag <select id="f-tag"><option value="">all</option>${tags.map((t) => `<option>${esc(t)}</option>`).join('')}</select></label>
<label>Level <select id="f-level"><option value="">all</option><option>MUST</option><option>SHOULD</option><option>MAY</option></select></label>
<span class="count" id="f-count"></span>
</div>
<div class="scroll"><table class="rules"><thead><tr><th>Rule</th><th>Level</th><th>Documented</th><th>Contract</th><th>Operations</th><th>What it checks</th></tr></thead><tbody>
${rows}
</tbody></table></div>
${failing.length ? `<h2 id="failures">Failures</h2>\n${failing.map(failureSection).join('\n')}` : ''}
${legend(doc)}
<footer>Written by ${esc(doc.suite.name)} ${esc(doc.suite.version)} from results.json (beside this file, with junit.xml). Every rule quotes its source: a sentence of the published documents, or the designed part of the contract and its decision.</footer>
</main><script>${SCRIPT}</script></body></html>
`;
}
