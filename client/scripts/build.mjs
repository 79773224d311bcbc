// Builds the package into dist/: ESM and declarations from every src/*.ts, laid out as in the repository
// (dist/client/src/ beside dist/contract/ and dist/generated/, the contract types and the lifecycle model the sources
// import), so each relative import of a source holds in dist/ as written; then the same modules as CommonJS in
// dist/cjs/, for `require` and CommonJS TypeScript projects. No import is rewritten.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const client = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(client, '..');
const dist = join(client, 'dist');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');

rmSync(dist, { recursive: true, force: true });
const run = spawnSync(process.execPath, [tsc, '-p', join(client, 'tsconfig.build.json')], { stdio: 'inherit' });
if (run.status !== 0) process.exit(run.status ?? 1);

/** Every file under `dir`, as paths relative to it. */
const filesUnder = (dir) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));

/** The relative specifiers a module imports or re-exports (type-only ones included: declarations keep them). */
const relativeImports = (text) =>
  [...text.matchAll(/\b(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]);

// tsc emits no declaration file it did not compile: the generated types (generated/*/schema.d.ts, lifecycle.d.ts) the
// contract's modules re-export. Each is copied to the place in dist/ its importer names, as it is in the repository.
for (let pending = filesUnder(dist).filter((f) => f.endsWith('.d.ts')); pending.length; ) {
  const copied = [];
  for (const file of pending) {
    for (const specifier of relativeImports(readFileSync(join(dist, file), 'utf8'))) {
      const target = join(dirname(join(dist, file)), specifier).replace(/\.js$/, '.d.ts');
      if (existsSync(target) || existsSync(target.replace(/\.d\.ts$/, '.js'))) continue;
      const source = join(root, relative(dist, target));
      if (!target.startsWith(dist) || !existsSync(source))
        throw new Error(`dist/${file} imports ${specifier}, which neither the build nor the repository holds`);
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(source, target);
      copied.push(relative(dist, target));
    }
  }
  pending = copied;
}

// CommonJS: each built module transpiled on its own (same code, require() instead of import), beside copies of the
// declarations and data, at the same places under dist/cjs/; dist/cjs/package.json makes Node and TypeScript read that
// folder as CommonJS.
const ts = require('typescript');
const cjs = join(dist, 'cjs');
const built = filesUnder(dist);
mkdirSync(cjs);
writeFileSync(join(cjs, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
for (const file of built) {
  mkdirSync(dirname(join(cjs, file)), { recursive: true });
  if (file.endsWith('.js')) {
    const { outputText, diagnostics = [] } = ts.transpileModule(readFileSync(join(dist, file), 'utf8'), {
      fileName: file,
      reportDiagnostics: true,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    if (diagnostics.length)
      throw new Error(
        `dist/${file} as CommonJS: ${diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')).join('; ')}`,
      );
    writeFileSync(join(cjs, file), outputText);
  } else if (file.endsWith('.d.ts') || file.endsWith('.json')) copyFileSync(join(dist, file), join(cjs, file));
}
