// What the console shows: a progress line while rules run, then one table row per rule, the failures in detail, and totals.
import type { ResultsDocument } from './results.ts';

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
const MARK: Record<string, string> = { pass: paint(32, '.'), fail: paint(31, 'F'), 'not verified': paint(33, '?'), 'known failure': paint(36, 'k') };
const LABEL: Record<string, string> = { pass: paint(32, 'pass'), fail: paint(31, 'FAIL'), 'not verified': paint(33, 'not verified'), 'known failure': paint(36, 'known failure') };

/** One character per finished rule ('.' pass, 'F' fail, '?' not verified), 50 to a line. */
export function progress(total: number, write: (s: string) => void): (status: string) => void {
  let done = 0;
  return (status) => {
    done++;
    write(MARK[status] ?? '?');
    if (done % 50 === 0 || done === total) write(` ${done}/${total}\n`);
  };
}

const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - s.replace(/\u001b\[\d+m/g, '').length));

export function printReport(doc: ResultsDocument, write: (s: string) => void = (s) => process.stdout.write(s)): void {
  const idWidth = Math.max(...doc.rules.map((r) => r.id.length), 4);
  const out: string[] = ['', `${pad('RULE', idWidth)}  LEVEL   ${pad('STATUS', 13)}  OPERATION`];
  for (const r of doc.rules) {
    const status = r.stale ? `${LABEL[r.status]} ${paint(31, '(stale baseline entry)')}` : LABEL[r.status]!;
    out.push(`${pad(r.id, idWidth)}  ${pad(r.level, 6)}  ${pad(status, 13)}  ${r.operations[0]}`);
  }
  for (const r of doc.rules.filter((x) => x.status === 'fail')) {
    out.push('', paint(31, `✗ ${r.id} [${r.level}] ${r.title}`));
    const src = r.source as { seed?: string; quote?: string; designed?: string; specLocation?: string };
    out.push(src.seed ? `  source: ${src.seed}: "${src.quote}"` : `  source: designed (${src.designed}) at ${src.specLocation}`);
    for (const f of r.failures) {
      out.push(`  ${f.phase === 'cleanup' ? 'cleanup failed' : 'failed'}: ${f.message.split('\n').join('\n    ')}`);
      if ('request' in f && f.request && f.response) {
        out.push(`  request:  ${f.request.method} ${f.request.url}${f.request.body !== undefined ? `\n            ${f.request.body.slice(0, 600)}` : ''}`);
        out.push(`  response: ${f.response.status} ${f.response.body.slice(0, 600)}`);
        out.push(`  reproduce:\n    ${(f.curl ?? '').split('\n').join('\n    ')}`);
      }
    }
  }
  const fresh = doc.rules.filter((r) => r.status === 'fail');
  if (fresh.length) {
    out.push('', 'New failures; if they are known and accepted, paste into the baseline\'s "entries":');
    for (const r of fresh) out.push(`  { "rule": "${r.id}", "reason": "TODO: why ${r.id} fails on this target" },`);
  }
  const stale = doc.rules.filter((r) => r.stale);
  if (stale.length) out.push('', paint(31, `Stale baseline entries (these rules pass now; remove them): ${stale.map((r) => r.id).join(', ')}`));
  if (doc.unknownBaselineEntries.length) out.push('', paint(31, `Baseline entries naming no rule: ${doc.unknownBaselineEntries.join(', ')}`));
  const t = doc.totals;
  out.push(
    '',
    `${t.rules} rules: ${paint(32, `${t.pass} pass`)}, ${paint(31, `${t.fail} fail`)} (${t.mustFailures} MUST), ${paint(33, `${t.notVerified} not verified`)}, ${paint(36, `${t.knownFailure} known failure`)}${t.stale ? `, ${paint(31, `${t.stale} stale`)}` : ''}` +
      ` — ${doc.run.requests} requests in ${(doc.run.durationMs / 1000).toFixed(2)} s, run ${doc.run.id}`,
    doc.ok ? paint(32, 'OK: every MUST rule passes or is a known failure.') : paint(31, 'NOT OK: see the failures above.'),
    '',
  );
  write(out.join('\n'));
}
