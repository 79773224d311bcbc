// Bench: wall time of `npm run conformance` (the full suite against the embedded sandbox), beside the runner's start-up and the requests made.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNS = 7;
const TARGET_S = 1.0;
const root = fileURLToPath(new URL('../../', import.meta.url));
// The suite exactly as `npm run conformance` runs it, without npm's own start-up.
const command = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.conformance!;

function timed(args: string[]): Promise<{ ms: number; code: number | null; out: string }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(`${command} ${args.join(' ')}`, { cwd: root, shell: true, env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ ms: performance.now() - started, code, out });
    });
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const dir = mkdtempSync(join(tmpdir(), 'conformance-bench-'));
try {
  // One unmeasured run builds the bundle if a source changed, as the first `npm run conformance` after a change does.
  await timed(['--report-dir', dir]);
  const walls: number[] = [];
  const suites: number[] = [];
  const requests: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = await timed(['--report-dir', dir]);
    if (run.code !== 0) throw new Error(`run ${i + 1} exited ${run.code}:\n${run.out.slice(-3000)}`);
    const doc = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { run: { durationMs: number; requests: number }; totals: { rules: number; pass: number } };
    if (doc.totals.pass !== doc.totals.rules) throw new Error(`run ${i + 1}: ${doc.totals.pass}/${doc.totals.rules} passed`);
    walls.push(run.ms);
    suites.push(doc.run.durationMs);
    requests.push(doc.run.requests);
  }
  const listWalls: number[] = [];
  for (let i = 0; i < RUNS; i++) listWalls.push((await timed(['--list'])).ms);
  const wall = median(walls) / 1000;
  const rows = [
    { metric: 'full suite vs embedded sandbox, process wall (median)', value: +wall.toFixed(3), unit: 's' },
    { metric: 'of which the rules running (median)', value: +(median(suites) / 1000).toFixed(3), unit: 's' },
    { metric: 'of which start-up, sandbox and reports (median)', value: +(median(walls.map((w, i) => w - suites[i]!)) / 1000).toFixed(3), unit: 's' },
    { metric: 'start-up alone (--list: the bundle loaded, every rule registered; median)', value: +(median(listWalls) / 1000).toFixed(3), unit: 's' },
    { metric: 'requests per run (median)', value: median(requests), unit: 'requests' },
    { metric: 'runs', value: RUNS, unit: 'runs' },
  ];
  for (const r of rows) console.log(`${r.metric}: ${r.value} ${r.unit}`);
  const result = {
    title: 'Conformance suite against the embedded sandbox',
    rows,
    note:
      `Target (issue 12) <= ${TARGET_S} s: ${wall <= TARGET_S ? 'met' : 'NOT met'}. Process wall of \`${command}\` (what npm run conformance runs, without npm's own start-up): the suite's esbuild bundle (conformance/dist/cli.js, the package's bin) in plain node, the sandbox in the same process, every rule passing, reports written; one warm-up run first. ` +
      `Rules run 8 at a time; validators are compiled on first use; the preflight's tokens serve the run; vitest's assertion library is used without vitest's runner.`,
  };
  console.log(`BENCH_RESULT ${JSON.stringify(result)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
