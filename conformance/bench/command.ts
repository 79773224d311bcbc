// Runs the conformance suite as `npm run conformance` does (its package.json command, without npm's own start-up) for a
// bench, and measures it: the wall time, and the CPU time (user + system) of the suite's process, which on a shared,
// loaded machine says what the run itself costs.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The command `npm run conformance` runs. */
export const conformanceCommand = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts.conformance!;

export interface Timed {
  ms: number;
  cpuMs: number;
  code: number | null;
  /** The last 4,000 characters of stdout and stderr. */
  out: string;
}

const seconds = (s: string) => {
  const [, minutes, secs] = /(\d+)m([\d.]+)s/.exec(s) ?? [];
  return Number(minutes) * 60 + Number(secs);
};

/** One run with these arguments; killed after `limitMs`. */
export function runConformanceCommand(args: string[], limitMs = 120_000): Promise<Timed> {
  return new Promise((resolve) => {
    const started = performance.now();
    // bash's `times` after the command prints its children's user and system time; the exit status stays the command's.
    const child = spawn('bash', ['-c', `${conformanceCommand} ${args.join(' ')}; status=$?; times; exit $status`], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-4000)));
    child.stderr.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      const children = out.trim().split('\n').at(-1)!.split(/\s+/);
      resolve({ ms, cpuMs: (seconds(children[0] ?? '') + seconds(children[1] ?? '')) * 1000, code, out });
    });
  });
}
