// `npm test`: every check of the project. The steps share nothing and write nothing the others read, so they run at the
// same time (most of each is waiting: on a browser, servers, child processes); each step's output is printed whole when
// it ends, then a summary with each step's time and the total. `npm test -- <part of a step name>` runs only those
// steps.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './lib/apis.mjs';

const bin = (name) => join(repoRoot, 'node_modules', '.bin', name);
const node = (...args) => [process.execPath, args];

/** [name, command, args] — each step must exit 0. The longest first, so it starts before the others take the cores. */
const steps = [
  [
    'unit and self tests (vitest): spec, client, sandbox, mock, docs site in Chromium, diff, suite self-tests',
    bin('vitest'),
    ['run'],
  ],
  ['typecheck (strict tsconfig)', bin('tsc'), ['-p', 'tsconfig.json']],
  ['lint: redocly strict + OAS 3.1 schema + x-source', ...node('scripts/lint.mjs')],
  [
    'code formatted and linted (biome ci, biome.json)',
    bin('biome'),
    ['ci', '--colors=off', '--error-on-warnings', '.'],
  ],
  ['generated/ matches a fresh build', ...node('scripts/check-generated.mjs')],
  [
    'no unannounced breaking change since the last release (openapi/releases.json)',
    ...node('scripts/check-release.mjs'),
  ],
  [
    'conformance suite against the built-in sandbox (npm run conformance)',
    ...node('conformance/scripts/conformance.mjs'),
  ],
];

/** Runs one step with its output captured (stdout and stderr interleaved as they came); resolves when it exits. */
function run([name, cmd, args]) {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, REDOCLY_TELEMETRY: 'off' },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const done = (ok, extra = '') => {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(`\n=== ${name}  (${ok ? 'PASS' : 'FAIL'}, ${seconds} s)\n${output}${extra}`);
      resolve({ name, ok, seconds });
    };
    child.on('error', (error) => done(false, String(error)));
    child.on('close', (code, signal) => done(code === 0, code === 0 ? '' : `exited with ${signal ?? code}\n`));
  });
}

const only = process.argv.slice(2);
const selected = steps.filter(([name]) => !only.length || only.some((o) => name.includes(o)));
const started = performance.now();
console.log(`npm test: ${selected.length} steps at once; each prints its output when it ends.`);
const results = await Promise.all(selected.map(run));
console.log('\n=== summary');
for (const r of results) console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name}  (${r.seconds} s)`);
const failed = results.filter((r) => !r.ok).length;
console.log(
  `steps: ${results.length - failed} passed, ${failed} failed, in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
process.exit(failed ? 1 : 0);
