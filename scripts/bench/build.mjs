// Times `npm run build` end to end (median of several runs) for the < 10 s target.
import { spawnSync } from 'node:child_process';
import { repoRoot } from '../lib/apis.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const times = [];
for (let i = 0; i < runs; i++) {
  const started = performance.now();
  const r = spawnSync('npm', ['run', 'build', '--silent'], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off' },
  });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}${r.stderr}`);
  times.push((performance.now() - started) / 1000);
  console.log(`run ${i + 1}: ${times.at(-1).toFixed(2)} s`);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(
  `BENCH_RESULT ${JSON.stringify({
    title: 'npm run build (generated/ for every API, client package, docs site)',
    rows: [
      { metric: 'median wall time', value: median, unit: 's' },
      { metric: 'slowest run', value: times.at(-1), unit: 's' },
      { metric: 'runs', value: runs, unit: '' },
    ],
    note: 'Wall time of `npm run build` from a warm npm cache, including npm start-up.',
  })}`,
);
