// `npm test` step: every API's spec now, compared with the spec of its last release (the frozen copy
// openapi/releases.json points at), must announce each breaking change with a major version bump and
// a CHANGELOG entry; the comparison itself is `npm run diff` in file mode, so no git history is needed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listApis, repoRoot } from './lib/apis.mjs';

const releases = JSON.parse(readFileSync(join(repoRoot, 'openapi', 'releases.json'), 'utf8'));
let failed = 0;
for (const api of listApis()) {
  const release = releases[api.name];
  if (!release) {
    console.log(
      `${api.name}: never released, so no release to compare with (add it to openapi/releases.json when it ships)`,
    );
    continue;
  }
  const base = join(repoRoot, release.spec);
  if (!existsSync(base) || JSON.parse(readFileSync(base, 'utf8')).info?.version !== release.version) {
    console.error(`${api.name}: ${release.spec} is missing or is not version ${release.version}`);
    failed++;
    continue;
  }
  console.log(`${api.name}: changes since release ${release.version} (${release.spec})`);
  const args = [
    '--base-file',
    base,
    '--head-file',
    join(api.dir, 'openapi.json'),
    '--api',
    api.name,
    '--changelog',
    join(repoRoot, 'CHANGELOG.md'),
  ];
  const diff = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'diff.mjs'), ...args], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  if (diff.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
