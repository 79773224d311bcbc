// `npm run bench`: runs every speed measurement of the project in one go and writes docs/benchmarks.md.
// Each bench is a standalone script whose last line is `BENCH_RESULT {json}`; figures are medians
// measured side by side within one run of that script, never timed assertions in tests.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './lib/apis.mjs';

const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
const benches = [
  { id: 'build', target: 'npm run build < 10 s', command: 'node scripts/bench/build.mjs', file: 'scripts/bench/build.mjs', run: [process.execPath, ['scripts/bench/build.mjs']] },
  { id: 'client', target: 'client call <= 1.10x raw fetch', command: 'npx tsx client/bench/overhead.ts', file: 'client/bench/overhead.ts', run: [tsx, ['client/bench/overhead.ts']] },
  { id: 'sandbox', target: 'create-order throughput >= 0.5x bare node:http', command: 'npx tsx sandbox/bench/throughput.ts', file: 'sandbox/bench/throughput.ts', run: [tsx, ['sandbox/bench/throughput.ts']] },
  { id: 'conformance', target: 'full run against the embedded sandbox <= 1.0 s (issue 12)', command: 'npx tsx conformance/bench/run.ts', file: 'conformance/bench/run.ts', run: [tsx, ['conformance/bench/run.ts']] },
  {
    id: 'history',
    target: 'full suite at 100,000 and 1,000,000 stored orders <= 1.2x the empty server (issue 12); a feed read since=now flat',
    command: 'npx tsx sandbox/bench/history.ts',
    file: 'sandbox/bench/history.ts',
    run: [tsx, ['sandbox/bench/history.ts']],
  },
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
  const run = spawnSync(cmd, args, { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, REDOCLY_TELEMETRY: 'off' }, maxBuffer: 64 * 1024 * 1024 });
  process.stdout.write(run.stdout.split('\n').slice(-15).join('\n'));
  const line = run.stdout.split('\n').reverse().find((l) => l.startsWith('BENCH_RESULT '));
  if (run.status !== 0 || !line) {
    console.error(`FAILED ${bench.id} (exit ${run.status})\n${run.stderr}`);
    missing++;
    continue;
  }
  sections.push({ ...bench, result: JSON.parse(line.slice('BENCH_RESULT '.length)) });
}

const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}`;
const md = [
  '# Benchmarks',
  '',
  `Written by \`npm run bench\` (\`scripts/bench.mjs\`) on ${new Date().toISOString().slice(0, 10)}, ${machine}.`,
  'Each figure is a median of repeated measurements; ratios compare two things measured side by side in the same run.',
  'Speed targets are checked here, never by timed assertions in tests. To measure one part only: `npm run bench -- <id>`.',
  '',
  ...sections.flatMap((s) => [
    `## ${s.result.title}`,
    '',
    `Target: ${s.target}. Command: \`${s.command}\` (id \`${s.id}\`).`,
    '',
    '| metric | value | unit |',
    '|---|---:|---|',
    ...s.result.rows.map((r) => `| ${r.metric} | ${typeof r.value === 'number' ? +r.value.toFixed(3) : r.value} | ${r.unit ?? ''} |`),
    '',
    ...(s.result.note ? [s.result.note, ''] : []),
  ]),
];
if (!only.length) writeFileSync(join(repoRoot, 'docs', 'benchmarks.md'), `${md.join('\n')}\n`);
else console.log(md.join('\n'));
process.exit(missing ? 1 : 0);
