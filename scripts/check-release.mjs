// `npm test` step: every API's spec now, compared with the spec of its last release (the commit
// recorded in openapi/releases.json), must announce each breaking change with a major version bump
// and a CHANGELOG entry; the comparison itself is `npm run diff`.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listApis, repoRoot } from './lib/apis.mjs';

const releases = JSON.parse(readFileSync(join(repoRoot, 'openapi', 'releases.json'), 'utf8'));
let failed = 0;
for (const api of listApis()) {
  const release = releases[api.name];
  if (!release) {
    console.log(`${api.name}: never released, so no release to compare with (add it to openapi/releases.json when it ships)`);
    continue;
  }
  const known = spawnSync('git', ['cat-file', '-e', `${release.commit}^{commit}`], { cwd: repoRoot });
  if (known.status !== 0) {
    console.error(`${api.name}: release commit ${release.commit} is not in this clone (a shallow clone cannot be checked; fetch the history)`);
    failed++;
    continue;
  }
  console.log(`${api.name}: changes since release ${release.version} (${release.commit.slice(0, 12)})`);
  const diff = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'diff.mjs'), release.commit, '--api', api.name], { cwd: repoRoot, stdio: 'inherit' });
  if (diff.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
