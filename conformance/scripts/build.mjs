// Builds the suite into dist/ with esbuild: cli.js (the package's bin) and embedded-sandbox.js (repository only), ESM
// bundles sharing one chunk, beside the generated files the suite reads (dist/generated/). Only the package's
// dependencies stay imports; the rest of the repository the suite uses is bundled, so the package reaches nothing
// outside itself. `node scripts/build.mjs --if-stale` (what `npm run conformance` runs first) builds only when an input
// changed.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('..', import.meta.url));
const root = join(here, '..');
const dist = join(here, 'dist');
/** What the last build read, written last: the build is stale when any of these is newer. */
const STAMP = join(dist, 'build.json');
const LOCK = join(here, '.dist.lock');
const manifest = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));

/** The APIs the package checks: their generated files and validators ship with it. */
const CHECKED = ['starmile-partner', 'starship-rewards'];
/**
 * The generated files the bundle reads at run time, copied beside it: the checked APIs', and the embedded sandbox's
 * operator API.
 */
const GENERATED = [
  ['starmile-partner', 'openapi.json'],
  ['starship-rewards', 'openapi.json'],
  ['starship-rewards', 'lifecycle.json'],
  ['starship-rewards', 'lifecycle.schema.json'],
  ['sandbox-admin', 'openapi.json'],
];

/** Schemas the suite compiles apart from the specs, precompiled under their `$id`. */
const STANDALONE_SCHEMAS = ['conformance/profile.schema.json', 'generated/starship-rewards/lifecycle.schema.json'];

/** True when there is no build, or a file it read has changed since. */
export function isStale() {
  if (!existsSync(STAMP)) return true;
  const built = statSync(STAMP).mtimeMs;
  const { inputs } = JSON.parse(readFileSync(STAMP, 'utf8'));
  return inputs.some((file) => !existsSync(join(root, file)) || statSync(join(root, file)).mtimeMs > built);
}

/**
 * Runs `work` holding the build lock (a directory), so concurrent test files and runs never see a half-written dist/.
 */
async function withLock(work) {
  for (let waited = 0; ; waited += 50) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      // A lock older than two minutes was left by a killed build.
      if (Date.now() - statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs > 120_000)
        rmSync(LOCK, { recursive: true, force: true });
      if (waited > 180_000) throw new Error(`conformance build: ${LOCK} is still held after 3 minutes`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    return await work();
  } finally {
    rmdirSync(LOCK);
  }
}

/** Where the build keeps what it generates for the bundle (removed once the bundle is written). */
const WORK = join(dist, '.work');

/**
 * Modules matching `filter` keep reading files at their place in this checkout (their import.meta.url is the source's).
 */
const atCheckout = (filter) => ({
  name: 'starmile-at-checkout',
  setup(build) {
    build.onLoad({ filter }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      return {
        contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
        loader: args.path.endsWith('.ts') ? 'ts' : 'js',
      };
    });
  },
});

/**
 * In the bundle, the generated files are the copies beside it, and the validators are the ones compiled ahead of time.
 * The sandbox's reads of its own files (sandbox/fixtures.json) keep pointing at the checkout: that entry is never shipped.
 */
const packaged = {
  name: 'starmile-packaged',
  setup(build) {
    build.onResolve({ filter: /\/generated-dir\.mjs$/ }, () => ({
      path: join(here, 'src', 'packaged-generated-dir.ts'),
    }));
    build.onResolve({ filter: /\/precompiled-validators\.mjs$/ }, () => ({
      path: join(WORK, 'precompiled-validators.mjs'),
    }));
    build.onResolve({ filter: /^embedded-sandbox-entry$/ }, () => ({ path: join(WORK, 'embedded-sandbox.mjs') }));
    // The suite reaches the sandbox only through that entry's file, which the package does not hold.
    build.onResolve({ filter: /\/embedded-sandbox\.ts$/ }, (args) =>
      args.importer.endsWith(join('conformance', 'src', 'conformance.ts'))
        ? { path: './embedded-sandbox.js', external: true }
        : undefined,
    );
    atCheckout(/\/sandbox\/src\/.*\.ts$/).setup(build);
  },
};

/**
 * Compiles every validator into standalone code (conformance/scripts/precompile.ts): the checked APIs' for the shared
 * chunk the package ships, the operator API's for the repository-only entry of the embedded sandbox, which adds them to
 * the same map before the sandbox starts. Returns the files that step read.
 */
async function precompile(build, dependencies) {
  const script = join(WORK, 'precompile.mjs');
  const result = await build({
    absWorkingDir: root,
    entryPoints: [join(here, 'scripts', 'precompile.ts')],
    outfile: script,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: dependencies,
    metafile: true,
    logLevel: 'warning',
    // It runs here, once, and reads the repository's generated/.
    plugins: [atCheckout(/\/contract\/generated-dir\.mjs$/)],
  });
  const { precompiler } = await import(pathToFileURL(script).href);
  const schemas = STANDALONE_SCHEMAS.map((file) => JSON.parse(readFileSync(join(root, file), 'utf8')));
  const sandboxOnly = [...new Set(GENERATED.map(([api]) => api))].filter((api) => !CHECKED.includes(api));
  const modules = precompiler([...CHECKED, ...sandboxOnly], schemas);
  writeFileSync(join(WORK, 'precompiled-validators.mjs'), modules({ apis: CHECKED, schemas }));
  writeFileSync(join(WORK, 'sandbox-validators.mjs'), modules({ apis: sandboxOnly, schemas: [] }));
  const entry = (file) => JSON.stringify(join(root, file));
  writeFileSync(
    join(WORK, 'embedded-sandbox.mjs'),
    [
      `import { precompiled } from ${entry('contract/precompiled-validators.mjs')};`,
      "import { precompiled as sandboxOnly } from './sandbox-validators.mjs';",
      'for (const [ref, validate] of sandboxOnly) precompiled.set(ref, validate);',
      `export * from ${entry('conformance/src/embedded-sandbox.ts')};`,
      '',
    ].join('\n'),
  );
  return [...Object.keys(result.metafile.inputs), ...STANDALONE_SCHEMAS];
}

async function buildNow() {
  const { build } = await import('esbuild');
  rmSync(dist, { recursive: true, force: true });
  const dependencies = Object.keys(manifest.dependencies);
  const precompileInputs = await precompile(build, dependencies);
  const result = await build({
    absWorkingDir: root,
    entryPoints: { cli: join(here, 'src', 'cli.ts'), 'embedded-sandbox': 'embedded-sandbox-entry' },
    outdir: dist,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: 'chunk-[hash]',
    external: dependencies,
    metafile: true,
    logLevel: 'warning',
    plugins: [packaged],
  });
  rmSync(WORK, { recursive: true, force: true });
  // What the build generated itself is no input: the stamp lists what it read from the repository.
  const inputs = [...Object.keys(result.metafile.inputs), ...precompileInputs].filter(
    (f) => !f.startsWith('conformance/dist/'),
  );
  const bundledPackages = inputs.filter((f) => f.includes('node_modules/'));
  if (bundledPackages.length)
    throw new Error(
      `conformance build: bundled packages that are not dependencies of ${manifest.name}: ${bundledPackages.join(', ')}`,
    );
  for (const [api, file] of GENERATED) {
    mkdirSync(join(dist, 'generated', api), { recursive: true });
    copyFileSync(join(root, 'generated', api, file), join(dist, 'generated', api, file));
  }
  const cli = join(dist, 'cli.js');
  writeFileSync(cli, `#!/usr/bin/env node\n${readFileSync(cli, 'utf8')}`);
  // What the package ships must not point into this checkout.
  for (const file of Object.keys(result.metafile.outputs))
    if (!file.endsWith('embedded-sandbox.js') && readFileSync(join(root, file), 'utf8').includes(root))
      throw new Error(`conformance build: ${file} holds a path of this checkout`);
  const read = [
    ...inputs,
    ...GENERATED.map(([api, file]) => `generated/${api}/${file}`),
    relative(root, fileURLToPath(import.meta.url)),
    'conformance/package.json',
  ];
  writeFileSync(STAMP, `${JSON.stringify({ inputs: [...new Set(read)].sort() }, null, 1)}\n`);
}

/** Builds unless the last build is up to date. */
export async function ensureBuilt() {
  if (!isStale()) return;
  await withLock(async () => {
    if (isStale()) await buildNow();
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--if-stale')) await ensureBuilt();
  else await withLock(buildNow);
}
