// `npm run check:generated`: regenerates into a temporary folder and fails on any byte of
// difference with generated/, including files that would be new or are no longer produced. The frozen release specs
// (generated/releases/) are machine output too, but of an earlier build: they are never regenerated.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { repoRoot } from './lib/apis.mjs';

const HAND_WRITTEN = new Set(['README.md']);
const FROZEN = 'releases/';
const generatedDir = join(repoRoot, 'generated');
const fresh = mkdtempSync(join(tmpdir(), 'starmile-generated-'));

const list = (dir) =>
  readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => statSync(join(dir, f)).isFile() && !HAND_WRITTEN.has(f) && !f.startsWith(FROZEN));

try {
  const build = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs'), '--out', fresh], {
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
  const want = new Set(list(fresh));
  const have = new Set(list(generatedDir));
  const problems = [];
  for (const f of want) {
    if (!have.has(f)) problems.push(`missing: generated/${f} (run npm run build and commit it)`);
    else if (!readFileSync(join(fresh, f)).equals(readFileSync(join(generatedDir, f))))
      problems.push(`differs: generated/${f} (edited by hand, or the spec changed without npm run build)`);
  }
  for (const f of have) if (!want.has(f)) problems.push(`not produced by the build: generated/${f}`);
  if (problems.length) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
  console.log(
    `generated/ is up to date (${want.size} files, compared byte for byte with a fresh build in ${relative(repoRoot, fresh) || fresh})`,
  );
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
