// `npm test`: every check of the project, in order; prints one line per step and a total.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './lib/apis.mjs';

const bin = (name) => join(repoRoot, 'node_modules', '.bin', name);
const node = (...args) => [process.execPath, args];

/** [name, command, args] — each step must exit 0. */
const steps = [
  ['lint: redocly strict + OAS 3.1 schema + x-source', ...node('scripts/lint.mjs')],
  ['generated/ matches a fresh build', ...node('scripts/check-generated.mjs')],
  ['no unannounced breaking change since the last release (openapi/releases.json)', ...node('scripts/check-release.mjs')],
  ['typecheck (strict tsconfig)', bin('tsc'), ['-p', 'tsconfig.json']],
  ['unit and self tests (vitest): spec, client, sandbox, mock, docs site in Chromium, diff, suite self-tests', bin('vitest'), ['run']],
  ['conformance suite against the built-in sandbox (npm run conformance)', ...node('conformance/scripts/conformance.mjs')],
];

const only = process.argv.slice(2);
const results = [];
for (const [name, cmd, args] of steps) {
  if (only.length && !only.some((o) => name.includes(o))) continue;
  console.log(`\n=== ${name}`);
  const started = performance.now();
  const run = spawnSync(cmd, args, { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, REDOCLY_TELEMETRY: 'off' } });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  results.push({ name, ok: run.status === 0, seconds });
}
console.log('\n=== summary');
for (const r of results) console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name}  (${r.seconds} s)`);
const failed = results.filter((r) => !r.ok).length;
console.log(`steps: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
