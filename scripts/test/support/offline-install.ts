// Installs a packed tarball (the client, the conformance suite) into a fresh project with no registry and an empty npm
// cache: its dependencies are packed from this repository's node_modules.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoModules = fileURLToPath(new URL('../../../node_modules/', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** npm run-script exports its own config to children; a nested npm must not inherit the workspace, prefix or cache. */
export const cleanEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
}
const manifestAt = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

/** The runtime dependency closure of `deps`, as installed (hoisted) in the repository's node_modules. */
function closure(deps: Record<string, string>, seen = new Map<string, string>()): Map<string, string> {
  for (const name of Object.keys(deps)) {
    if (seen.has(name)) continue;
    const dir = join(repoModules, name);
    if (!existsSync(join(dir, 'package.json')))
      throw new Error(`${name} is not installed in node_modules (run npm ci)`);
    seen.set(name, dir);
    closure(manifestAt(dir).dependencies ?? {}, seen);
  }
  return seen;
}

/** Runs `npm pack` in `dir` (or on a package folder) and returns the tarball's path in `dest`. */
export function pack(dir: string, dest: string, env = cleanEnv()): string {
  const before = new Set(readdirSync(dest));
  execFileSync(npm, ['pack', dir, '--pack-destination', dest, '--silent'], { cwd: dest, env, stdio: 'pipe' });
  const tarball = readdirSync(dest).find((f) => f.endsWith('.tgz') && !before.has(f));
  if (!tarball) throw new Error(`npm pack ${dir} wrote no tarball`);
  return join(dest, tarball);
}

/**
 * A tarball of an installed dependency, as npm would install it, made with tar rather than `npm pack` (the folder already
 * holds exactly the published files; no npm start-up). Made once per folder and destination: a second consumer reuses it.
 */
const packed = new Map<string, string>();
function packInstalled(dir: string, dest: string): string {
  const key = `${dir}\0${dest}`;
  if (!packed.has(key)) {
    const { name, version } = manifestAt(dir);
    const tarball = join(dest, `${name.replace('@', '').replace('/', '-')}-${version}.tgz`);
    execFileSync('tar', [
      '-czf',
      tarball,
      '-C',
      dirname(dir),
      '--exclude=node_modules',
      '--transform',
      's,^[^/]*,package,',
      basename(dir),
    ]);
    packed.set(key, tarball);
  }
  return packed.get(key)!;
}

/**
 * Adds to `project/package.json` (written if the project has none yet) a dependency on the tarball and on packed copies of
 * its whole dependency closure (tarballs of this repository's installed copies), then runs `npm install --offline` with a new empty cache: it passes on a fresh machine,
 * and proves the package needs nothing else. Dependency tarballs go beside the project.
 */
export function installOffline(tarball: string, project: string, extra: Record<string, unknown> = {}): void {
  const env = cleanEnv();
  const dest = join(project, '..');
  const unpacked = mkdtempSync(join(dest, 'manifest-'));
  execFileSync('tar', ['-xzf', tarball, '-C', unpacked, 'package/package.json']);
  const own = manifestAt(join(unpacked, 'package'));
  rmSync(unpacked, { recursive: true, force: true });
  const dependencies: Record<string, string> = { [own.name]: `file:${tarball}` };
  for (const [name, dir] of closure(own.dependencies ?? {})) dependencies[name] = `file:${packInstalled(dir, dest)}`;
  const manifest = existsSync(join(project, 'package.json'))
    ? (JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as Record<string, unknown>)
    : { name: 'consumer', private: true };
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify(
      { ...manifest, ...extra, dependencies: { ...(manifest.dependencies as object | undefined), ...dependencies } },
      null,
      2,
    ),
  );
  const cache = mkdtempSync(join(dest, 'npm-cache-'));
  execFileSync(npm, ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], {
    cwd: project,
    env: { ...env, npm_config_cache: cache },
    stdio: 'pipe',
  });
}
