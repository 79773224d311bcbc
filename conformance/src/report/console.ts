// What the console shows: a progress line while rules run, then the same summary as the HTML report (the verdict of
// each class, the tags that fail, warnings), the failures in words with their source, exchange and curl, and one line
// per other rule only when asked (--verbose).
import type { AssertionClass } from '../../registry/types.ts';
import type { ResultsDocument, RuleView } from './results.ts';

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
const MARK: Record<string, string> = {
  pass: paint(32, '.'),
  fail: paint(31, 'F'),
  'not verified': paint(33, '?'),
  blocked: paint(35, 'b'),
  'known failure': paint(36, 'k'),
};
const LABEL: Record<string, string> = {
  pass: paint(32, 'pass'),
  fail: paint(31, 'FAIL'),
  'not verified': paint(33, 'not verified'),
  blocked: paint(35, 'blocked'),
  'known failure': paint(36, 'known failure'),
  '—': '—',
};
const CLASSES: AssertionClass[] = ['documented', 'contract'];
const SHOWN_BODY = 600;

/** One character per finished rule ('.' pass, 'F' fail, 'b' blocked, '?' not verified), 50 to a line. */
export function progress(total: number, write: (s: string) => void): (status: string) => void {
  let done = 0;
  return (status) => {
    done++;
    write(MARK[status] ?? '?');
    if (done % 50 === 0 || done === total) write(` ${done}/${total}\n`);
  };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the width of a painted cell leaves out its ANSI colour codes (ESC [ n m)
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - s.replace(/\u001b\[\d+m/g, '').length));
const indent = (text: string, by: string) => text.split('\n').join(`\n${by}`);

const sourceLine = (src: {
  seed?: string;
  quote?: string;
  designed?: string;
  specLocation?: string;
  decision?: string;
}) =>
  src.seed
    ? `${src.seed}: "${src.quote}"${src.decision ? ` (${src.decision})` : ''}`
    : `designed (${src.designed}) at ${src.specLocation}${src.decision ? `, ${src.decision}` : ''}`;

const verdicts = (r: RuleView) =>
  CLASSES.filter((c) => r.verdicts[c])
    .map((c) => `${c}: ${LABEL[r.verdicts[c]!]}`)
    .join(' · ');

function failureBlock(r: RuleView, out: string[]): void {
  out.push(
    '',
    `${paint(31, `✗ ${r.id}`)} [${r.level}; ${verdicts(r)}] ${r.title}`,
    `  source: ${sourceLine(r.source)}`,
  );
  if (r.stale) out.push(paint(31, '  stale baseline entry: this rule passes now; remove it from the baseline'));
  if (r.blocked)
    out.push(
      `  precondition failed: ${r.blocked.reason} (${r.verdicts.contract === 'blocked' ? `blocked by ${r.blocked.by}, which fails` : `${r.blocked.by} does not fail, so this is this rule's failure`})`,
    );
  for (const f of r.failures) {
    out.push(
      `  ${paint(31, f.phase === 'cleanup' ? 'cleanup failed' : 'failed')} [${f.class}]: ${indent(f.message, '    ')}`,
    );
    if (f.source) out.push(`    rests on: ${sourceLine(f.source)}`);
    if ('request' in f && f.request && f.response) {
      const body = (s: string) => (s.length > SHOWN_BODY ? `${s.slice(0, SHOWN_BODY)}…` : s);
      out.push(
        `    request:  ${f.request.method} ${f.request.url}${f.request.body !== undefined ? `\n              ${body(f.request.body)}` : ''}`,
      );
      out.push(`    response: ${f.response.status} ${body(f.response.body)}`);
      out.push(`    reproduce:\n      ${indent(f.curl ?? '', '      ')}`);
    }
  }
}

/** The verdict of each class and the tags that fail in the deciding one: what the top of the HTML report shows. */
function summary(doc: ResultsDocument, out: string[]): void {
  const deciding = doc.decidingClass as AssertionClass;
  const c = doc.classes[deciding];
  out.push(
    '',
    doc.ok
      ? `${paint(32, 'OK')}  every MUST rule of the ${deciding} class passes or is a known failure.`
      : `${paint(31, 'NOT OK')}  ${c.fail} rule${c.fail === 1 ? '' : 's'} fail${c.fail === 1 ? 's' : ''} in the ${deciding} class (${c.mustFailures} MUST)${doc.totals.stale ? `, ${doc.totals.stale} stale baseline entr${doc.totals.stale === 1 ? 'y' : 'ies'}` : ''}; that class decides the exit status.`,
  );
  for (const cls of CLASSES) {
    const t = doc.classes[cls];
    const rest = [
      `${paint(t.fail ? 31 : 0, `${t.fail} fail`)}${t.mustFailures ? ` (${t.mustFailures} MUST)` : ''}`,
      `${t.blocked} blocked`,
      `${t.notVerified} not verified`,
      ...(t.knownFailure ? [`${t.knownFailure} known failure`] : []),
    ];
    out.push(
      `  ${pad(cls, 11)} ${pad(`${t.pass}/${t.rules} pass`, 13)} ${rest.join(' · ')}${cls === deciding ? '   (decides)' : ''}`,
    );
  }
  const failingTags = [...new Set(doc.rules.flatMap((r) => r.tags))]
    .map((tag) => ({
      tag,
      fail: doc.rules.filter((r) => r.tags.includes(tag) && r.verdicts[deciding] === 'fail').length,
    }))
    .filter((t) => t.fail)
    .sort((a, b) => b.fail - a.fail || a.tag.localeCompare(b.tag));
  if (failingTags.length)
    out.push(`  failing by tag (${deciding}): ${failingTags.map((t) => `${t.tag} ${t.fail}`).join(' · ')}`);
  for (const w of doc.warnings) out.push(paint(33, `  warning: ${w}`));
}

export function printReport(
  doc: ResultsDocument,
  write: (s: string) => void = (s) => process.stdout.write(s),
  verbose = false,
): void {
  const out: string[] = [];
  summary(doc, out);
  const failing = doc.rules.filter((r) => Object.values(r.verdicts).includes('fail') || r.stale);
  if (failing.length) out.push('', `Failures (${failing.length}):`);
  for (const r of failing) failureBlock(r, out);
  const fresh = doc.rules.filter((r) => r.verdicts[doc.decidingClass as AssertionClass] === 'fail');
  if (fresh.length) {
    out.push(
      '',
      `New failures in the ${doc.decidingClass} class; if they are known and accepted, paste into the baseline's "entries":`,
    );
    for (const r of fresh) out.push(`  { "rule": "${r.id}", "reason": "TODO: why ${r.id} fails on this target" },`);
  }
  const stale = doc.rules.filter((r) => r.stale);
  if (stale.length)
    out.push(
      '',
      paint(31, `Stale baseline entries (these rules pass now; remove them): ${stale.map((r) => r.id).join(', ')}`),
    );
  if (verbose) {
    const others = doc.rules.filter((r) => !failing.includes(r));
    const idWidth = Math.max(...others.map((r) => r.id.length), 4);
    out.push('', `${pad('RULE', idWidth)}  LEVEL   ${pad('DOCUMENTED', 14)}  ${pad('CONTRACT', 14)}  OPERATION`);
    for (const r of others) {
      const cell = (cls: AssertionClass) => LABEL[r.verdicts[cls] ?? '—']!;
      const note =
        r.blocked && r.verdicts.contract === 'blocked'
          ? paint(35, ` blocked by ${r.blocked.by}`)
          : r.notVerifiedBecause
            ? paint(33, ` (${r.notVerifiedBecause})`)
            : '';
      out.push(
        `${pad(r.id, idWidth)}  ${pad(r.level, 6)}  ${pad(cell('documented'), 14)}  ${pad(cell('contract'), 14)}  ${r.operations[0]}${note}`,
      );
    }
  } else if (doc.rules.length > failing.length) {
    const n = doc.rules.length - failing.length;
    out.push('', `${n} other rule${n === 1 ? '' : 's'}: --verbose lists ${n === 1 ? 'it' : 'them'}, one line each.`);
  }
  out.push(
    '',
    `${doc.ok ? paint(32, 'OK') : paint(31, 'NOT OK')}  ${doc.verdict}   (${doc.decidingClass} decides) — ${doc.run.requests} requests in ${(doc.run.durationMs / 1000).toFixed(2)} s, run ${doc.run.id}`,
    doc.ok
      ? `Every MUST rule of the ${doc.decidingClass} class passes or is a known failure.`
      : 'See the failures above.',
    '',
  );
  write(out.join('\n'));
}
