// What the console shows: a progress line while rules run, then one table row per rule with its verdict in each class, the failures in detail, and both verdicts side by side.
import type { ResultsDocument, RuleView } from './results.ts';

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
const MARK: Record<string, string> = { pass: paint(32, '.'), fail: paint(31, 'F'), 'not verified': paint(33, '?'), blocked: paint(35, 'b'), 'known failure': paint(36, 'k') };
const LABEL: Record<string, string> = { pass: paint(32, 'pass'), fail: paint(31, 'FAIL'), 'not verified': paint(33, 'not verified'), blocked: paint(35, 'blocked'), 'known failure': paint(36, 'known failure'), '—': '—' };

/** One character per finished rule ('.' pass, 'F' fail, 'b' blocked, '?' not verified), 50 to a line. */
export function progress(total: number, write: (s: string) => void): (status: string) => void {
  let done = 0;
  return (status) => {
    done++;
    write(MARK[status] ?? '?');
    if (done % 50 === 0 || done === total) write(` ${done}/${total}\n`);
  };
}

const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - s.replace(/\u001b\[\d+m/g, '').length));

const sourceLine = (src: { seed?: string; quote?: string; designed?: string; specLocation?: string; decision?: string }) =>
  src.seed ? `${src.seed}: "${src.quote}"${src.decision ? ` (${src.decision})` : ''}` : `designed (${src.designed}) at ${src.specLocation}${src.decision ? `, ${src.decision}` : ''}`;

function failureBlock(r: RuleView, out: string[]): void {
  out.push('', paint(31, `✗ ${r.id} [${r.level}, ${r.class}] ${r.title}`), `  source: ${sourceLine(r.source)}`);
  if (r.blocked) out.push(`  precondition failed: ${r.blocked.reason} (${r.verdicts.contract === 'blocked' ? `blocked by ${r.blocked.by}, which fails` : `${r.blocked.by} does not fail, so this is this rule's failure`})`);
  for (const f of r.failures) {
    out.push(`  ${f.phase === 'cleanup' ? 'cleanup failed' : 'failed'} [${f.class}]: ${f.message.split('\n').join('\n    ')}`);
    if (f.source) out.push(`    rests on: ${sourceLine(f.source)}`);
    if ('request' in f && f.request && f.response) {
      out.push(`  request:  ${f.request.method} ${f.request.url}${f.request.body !== undefined ? `\n            ${f.request.body.slice(0, 600)}` : ''}`);
      out.push(`  response: ${f.response.status} ${f.response.body.slice(0, 600)}`);
      out.push(`  reproduce:\n    ${(f.curl ?? '').split('\n').join('\n    ')}`);
    }
  }
}

export function printReport(doc: ResultsDocument, write: (s: string) => void = (s) => process.stdout.write(s), _verbose = false): void {
  const idWidth = Math.max(...doc.rules.map((r) => r.id.length), 4);
  const out: string[] = ['', `${pad('RULE', idWidth)}  LEVEL   ${pad('DOCUMENTED', 14)}  ${pad('CONTRACT', 14)}  OPERATION`];
  for (const r of doc.rules) {
    const cell = (cls: 'documented' | 'contract') => LABEL[r.verdicts[cls] ?? '—']!;
    out.push(`${pad(r.id, idWidth)}  ${pad(r.level, 6)}  ${pad(cell('documented'), 14)}  ${pad(cell('contract'), 14)}  ${r.operations[0]}${r.stale ? paint(31, ' (stale baseline entry)') : ''}${r.blocked && r.verdicts.contract === 'blocked' ? paint(35, ` blocked by ${r.blocked.by}`) : ''}`);
  }
  const failing = doc.rules.filter((r) => Object.values(r.verdicts).includes('fail'));
  for (const r of failing) failureBlock(r, out);
  const fresh = doc.rules.filter((r) => r.verdicts[doc.decidingClass as 'contract'] === 'fail');
  if (fresh.length) {
    out.push('', `New failures in the ${doc.decidingClass} class; if they are known and accepted, paste into the baseline's "entries":`);
    for (const r of fresh) out.push(`  { "rule": "${r.id}", "reason": "TODO: why ${r.id} fails on this target" },`);
  }
  const stale = doc.rules.filter((r) => r.stale);
  if (stale.length) out.push('', paint(31, `Stale baseline entries (these rules pass now; remove them): ${stale.map((r) => r.id).join(', ')}`));
  for (const w of doc.warnings) out.push('', paint(33, `warning: ${w}`));
  const t = doc.totals;
  const c = doc.classes[doc.decidingClass as 'contract'];
  out.push(
    '',
    `${doc.verdict}   (${doc.decidingClass} decides the exit status: ${paint(32, `${c.pass} pass`)}, ${paint(31, `${c.fail} fail`)} (${c.mustFailures} MUST), ${paint(35, `${c.blocked} blocked`)}, ${paint(33, `${c.notVerified} not verified`)}, ${paint(36, `${c.knownFailure} known failure`)}${t.stale ? `, ${paint(31, `${t.stale} stale`)}` : ''})` +
      ` — ${doc.run.requests} requests in ${(doc.run.durationMs / 1000).toFixed(2)} s, run ${doc.run.id}`,
    doc.ok ? paint(32, `OK: every MUST rule of the ${doc.decidingClass} class passes or is a known failure.`) : paint(31, 'NOT OK: see the failures above.'),
    '',
  );
  write(out.join('\n'));
}
