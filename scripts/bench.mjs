// `npm run bench`: runs every speed measurement of the project in one go and writes docs/benchmarks.md.
// Each bench is a standalone script whose last line is `BENCH_RESULT {json}`; figures are medians
// measured side by side within one run of that script, never timed assertions in tests.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './lib/apis.mjs';

const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
/** A bench: its id, its target, and the script that measures it (TypeScript through tsx, JavaScript through node). */
const defineBench = (id, target, file) =>
  file.endsWith('.ts')
    ? { id, target, file, command: `npx tsx ${file}`, run: [tsx, [file]] }
    : { id, target, file, command: `node ${file}`, run: [process.execPath, [file]] };
const benches = [
  defineBench('build', 'npm run build < 10 s', 'scripts/bench/build.mjs'),
  defineBench('client', 'client call <= 1.30x raw fetch', 'client/bench/overhead.ts'),
  defineBench('sandbox', 'create-order throughput >= 0.5x bare node:http', 'sandbox/bench/throughput.ts'),
  defineBench(
    'worst-case',
    'every request within the 1 MiB body cap answered in <= 100 ms, none stalls another',
    'sandbox/bench/worst-case.ts',
  ),
  defineBench('conformance', 'full run against the embedded sandbox <= 1.0 s (issue 12)', 'conformance/bench/run.ts'),
  defineBench(
    'history',
    'full suite at 100,000 and 1,000,000 stored orders <= 1.2x the empty server (issue 12); a feed read since=now flat',
    'sandbox/bench/history.ts',
  ),
  defineBench('test', 'npm test <= 150 s on this 2-core machine', 'scripts/bench/npm-test.mjs'),
];

const only = process.argv.slice(2);
const sections = [];
let missing = 0;
for (const bench of benches) {
  if (only.length && !only.includes(bench.id)) continue;
  if (!existsSync(join(repoRoot, bench.file))) {
    console.error(`MISSING ${bench.file}`);
    missing++;
    continue;
  }
  console.log(`\n=== ${bench.id}: ${bench.command}`);
  const [cmd, args] = bench.run;
  const run = spawnSync(cmd, args, {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off' },
    maxBuffer: 64 * 1024 * 1024,
  });
  process.stdout.write(run.stdout.split('\n').slice(-15).join('\n'));
  const line = run.stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('BENCH_RESULT '));
  if (run.status !== 0 || !line) {
    console.error(`FAILED ${bench.id} (exit ${run.status})\n${run.stderr}`);
    missing++;
    continue;
  }
  sections.push({ ...bench, result: JSON.parse(line.slice('BENCH_RESULT '.length)) });
}

const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, load average ${loadavg()
  .map((l) => l.toFixed(1))
  .join(' / ')} (1 / 5 / 15 min) when it finished`;
const when = `${new Date().toISOString().slice(0, 10)}, ${machine}`;
/**
 * One section of docs/benchmarks.md; `alone` says when and where it was measured, as it was not measured with the rest.
 */
const sectionLines = (s, alone) => [
  `## ${s.result.title}`,
  '',
  `Target: ${s.target}. Command: \`${s.command}\` (id \`${s.id}\`).`,
  ...(alone ? ['', `Measured alone by \`npm run bench -- ${s.id}\` on ${when}.`] : []),
  '',
  '| metric | value | unit |',
  '|---|---:|---|',
  ...s.result.rows.map(
    (r) => `| ${r.metric} | ${typeof r.value === 'number' ? +r.value.toFixed(3) : r.value} | ${r.unit ?? ''} |`,
  ),
  '',
  ...(s.result.note ? [s.result.note, ''] : []),
];
const file = join(repoRoot, 'docs', 'benchmarks.md');
if (!only.length) {
  const md = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` (\`scripts/bench.mjs\`) on ${when}.`,
    'Each figure is a median of repeated measurements; ratios compare two things measured side by side in the same run.',
    'Speed targets are checked here, never by timed assertions in tests. To measure one part only: `npm run bench -- <id>` (it replaces that part here).',
    '',
    ...sections.flatMap((s) => sectionLines(s, false)),
  ];
  writeFileSync(file, `${md.join('\n')}\n`);
} else if (sections.length) {
  // One part re-measured: its section replaces the one with the same id (or is added at the end); the others stay as
  // they were, so a slow bench need not run again to update a fast one.
  const blocks = readFileSync(file, 'utf8')
    .trimEnd()
    .split(/\n(?=## )/);
  for (const s of sections) {
    const text = sectionLines(s, true).join('\n').trimEnd();
    const at = blocks.findIndex((block) => block.includes(`(id \`${s.id}\`).`));
    if (at >= 0) blocks[at] = text;
    else blocks.push(text);
    console.log(`\n${text}`);
  }
  writeFileSync(file, `${blocks.map((block) => block.trimEnd()).join('\n\n')}\n`);
}
process.exit(missing ? 1 : 0);
