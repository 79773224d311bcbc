// `npm run build`: regenerates generated/ from the specs (and, with --out DIR, writes there instead).
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { listApis } from './lib/apis.mjs';
import { generateApi } from './lib/generate.mjs';

process.env.REDOCLY_TELEMETRY = 'off';
const outIndex = process.argv.indexOf('--out');
const outRoot = outIndex > 0 ? process.argv[outIndex + 1] : null;

const started = performance.now();
for (const api of listApis()) {
  const dir = outRoot ? join(outRoot, api.name) : api.dir;
  // Generate beside the target and swap it in, so a concurrent reader never sees a half-written folder.
  const staging = mkdtempSync(join(dirname(dir), `.${api.name}-`));
  try {
    await generateApi(api, staging);
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  console.log(`generated ${api.name} -> ${dir}`);
}
console.log(`build done in ${((performance.now() - started) / 1000).toFixed(2)} s`);
