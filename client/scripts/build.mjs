// Builds the package into dist/: ESM and declarations from every src/*.ts, with the generated Starmile types in place of the schema.ts re-export.
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const client = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(join(client, 'dist'), { recursive: true, force: true });
const run = spawnSync(process.execPath, [tsc, '-p', join(client, 'tsconfig.build.json')], { stdio: 'inherit' });
if (run.status !== 0) process.exit(run.status ?? 1);
// src/schema.ts points into the repository's generated/ folder, which the tarball does not hold.
copyFileSync(join(client, '..', 'generated', 'starmile-partner', 'schema.d.ts'), join(client, 'dist', 'schema.d.ts'));
// src/starship.ts reads the Starship model and types from generated/ too: ship them beside it and point the built module at them.
copyFileSync(join(client, '..', 'generated', 'starship-rewards', 'lifecycle.json'), join(client, 'dist', 'starship-lifecycle.json'));
copyFileSync(join(client, '..', 'generated', 'starship-rewards', 'schema.d.ts'), join(client, 'dist', 'starship-schema.d.ts'));
for (const file of ['starship.js', 'starship.d.ts']) {
  const path = join(client, 'dist', file);
  const text = readFileSync(path, 'utf8')
    .replaceAll('../../generated/starship-rewards/lifecycle.json', './starship-lifecycle.json')
    .replaceAll('../../generated/starship-rewards/schema.js', './starship-schema.js');
  if (text.includes('../../generated/')) throw new Error(`dist/${file} still points into generated/`);
  writeFileSync(path, text);
}
