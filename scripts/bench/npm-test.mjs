// Times `npm test` end to end (median of several runs) for the <= 150 s target, with the CPU it used and how busy the
// rest of the machine was meanwhile: on a shared machine a wall time means little without the load beside it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { repoRoot } from '../lib/apis.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const TICKS = 100; // USER_HZ: /proc's unit of CPU time on Linux

/**
 * CPU seconds: used by this process's finished children (`npm test` and everything under it), and busy on the whole
 * machine.
 */
function cpuClock() {
  if (!existsSync('/proc/self/stat')) return null;
  const self = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  // After the ") " that ends the command name, cutime and cstime are fields 14 and 15 (0-based: 13, 14).
  const children = (Number(self[13]) + Number(self[14])) / TICKS;
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields;
  return { children, busy: (user + nice + system + irq + softirq + steal) / TICKS, idle: (idle + iowait) / TICKS };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cores = cpus().length;
const results = [];
for (let i = 0; i < runs; i++) {
  const load = loadavg()[0];
  const before = cpuClock();
  const started = performance.now();
  const run = spawnSync('npm', ['test'], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const wall = (performance.now() - started) / 1000;
  const after = cpuClock();
  if (run.status !== 0)
    throw new Error(`npm test failed (run ${i + 1}):\n${run.stdout.split('\n').slice(-40).join('\n')}${run.stderr}`);
  // The summary's lines, "PASS  <step name>  (<seconds> s)", named by their words before any ":" or " (".
  const steps = Object.fromEntries(
    [...run.stdout.matchAll(/^PASS {2}(.+) {2}\((\d+(?:\.\d+)?) s\)$/gm)].map((m) => [
      m[1].split(/:| \(/)[0],
      Number(m[2]),
    ]),
  );
  const cpu = after && before ? after.children - before.children : null;
  // Cores the rest of the machine kept busy meanwhile: all busy time minus ours, over the run.
  const others = after && before ? Math.max(0, after.busy - before.busy - cpu) / wall : null;
  results.push({ wall, cpu, others, load, steps });
  console.log(
    `run ${i + 1}: ${wall.toFixed(1)} s wall, ${cpu?.toFixed(1) ?? '?'} s CPU, others busy ${others?.toFixed(2) ?? '?'} of ${cores} cores, load ${load.toFixed(2)} at start`,
  );
}

const rows = [
  { metric: 'median wall time of npm test', value: median(results.map((r) => r.wall)), unit: 's' },
  { metric: 'slowest run', value: Math.max(...results.map((r) => r.wall)), unit: 's' },
  ...(results[0].cpu === null
    ? []
    : [
        {
          metric: 'CPU time of npm test and its children (median)',
          value: median(results.map((r) => r.cpu)),
          unit: 's',
        },
        {
          metric: `cores kept busy by other processes during the runs (median, of ${cores})`,
          value: median(results.map((r) => r.others)),
          unit: 'cores',
        },
      ]),
  {
    metric: '1-minute load average when each run started (median)',
    value: median(results.map((r) => r.load)),
    unit: '',
  },
  ...Object.keys(results[0].steps).map((step) => ({
    metric: `step: ${step} (median)`,
    value: median(results.map((r) => r.steps[step] ?? NaN)),
    unit: 's',
  })),
  { metric: 'runs', value: runs, unit: '' },
];
console.log(
  `BENCH_RESULT ${JSON.stringify({
    title: 'npm test (every check of the project, as CI runs it)',
    rows,
    note:
      'Wall time of `npm test` with node_modules installed, including npm start-up; its steps run at the same time, so they add up to more than the total. ' +
      'The CPU time is load-independent; "cores kept busy by other processes" says how much of the machine others used meanwhile (other sessions share it): ' +
      'the wall time grows with it.',
  })}`,
);
