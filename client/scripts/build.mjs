// Builds the package into dist/: ESM and declarations from every src/*.ts, with the generated Starmile types in place of the
// schema.ts re-export; then the same modules as CommonJS in dist/cjs/, for `require` and CommonJS TypeScript projects.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const client = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');

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

// CommonJS: each built module transpiled on its own (same code, require() instead of import), beside copies of the
// declarations; dist/cjs/package.json makes Node and TypeScript read that folder as CommonJS.
const ts = require('typescript');
const dist = join(client, 'dist');
const cjs = join(dist, 'cjs');
mkdirSync(cjs);
writeFileSync(join(cjs, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
for (const file of readdirSync(dist)) {
  if (file.endsWith('.js')) {
    const { outputText, diagnostics = [] } = ts.transpileModule(readFileSync(join(dist, file), 'utf8'), {
      fileName: file,
      reportDiagnostics: true,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    if (diagnostics.length) throw new Error(`dist/${file} as CommonJS: ${diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')).join('; ')}`);
    writeFileSync(join(cjs, file), outputText);
  } else if (file.endsWith('.d.ts') || file.endsWith('.json')) copyFileSync(join(dist, file), join(cjs, file));
}
