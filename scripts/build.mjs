// `npm run build`: regenerates generated/ from the specs (and, with --out DIR, writes there instead).

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
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
  mkdirSync(dirname(dir), { recursive: true });
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
// Everything else is made from generated/: the client package and the docs site, side by side.
if (!outRoot) {
  const run = (label, args) =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, args, {
        cwd: join(import.meta.dirname, '..'),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      child.on('close', (code) => {
        if (code !== 0) return reject(new Error(`${label} failed:\n${out}`));
        console.log(`built ${label}`);
        resolve();
      });
    });
  await Promise.all([
    run('client package (client/dist)', ['client/scripts/build.mjs']),
    run('docs site (docs/site)', ['scripts/docs.mjs']),
  ]);
}
console.log(`build done in ${((performance.now() - started) / 1000).toFixed(2)} s`);
