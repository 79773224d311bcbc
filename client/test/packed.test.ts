// The npm package as a user gets it: `npm pack`, installed offline (empty cache) into a fresh project, typechecked by a consumer, run in Node, and free of Node-only code.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_ONLY, withoutComments } from './support/node-only.js';
import { installOffline, pack } from '../../scripts/test/support/offline-install.js';

const clientDir = fileURLToPath(new URL('..', import.meta.url));
const fixtures = fileURLToPath(new URL('fixtures/consumer/', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

let work: string;
let project: string;
let installed: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'starmile-client-pack-'));
  const tarball = pack(clientDir, work);
  project = join(work, 'consumer');
  mkdirSync(project);
  cpSync(fixtures, project, { recursive: true });
  installOffline(tarball, project, { type: 'module' });
  installed = join(project, 'node_modules', '@starmile', 'partner-client');
}, 60_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function typecheck() {
  const run = spawnSync(process.execPath, [tsc, '-p', '.', '--pretty', 'false'], { cwd: project, encoding: 'utf8' });
  const errors = run.stdout.split('\n').filter((line) => /error TS\d+/.test(line));
  return { status: run.status, errors };
}

describe('the packed package', () => {
  it('holds the built code, its declarations and the generated Starmile types, and no sources', () => {
    const files = readdirSync(join(installed, 'dist'));
    expect(files).toEqual(expect.arrayContaining(['index.js', 'index.d.ts', 'client.js', 'schema.d.ts']));
    expect(existsSync(join(installed, 'src'))).toBe(false);
    expect(readFileSync(join(installed, 'dist', 'schema.d.ts'), 'utf8')).toContain('"/api/v1/orders/{order_id}"');
  });

  it('has a file behind every export it declares (starship once its source exists)', () => {
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { exports: Record<string, string | Record<string, string>> };
    const hasStarship = existsSync(join(clientDir, 'src', 'starship.ts'));
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (subpath === './starship' && !hasStarship) continue;
      for (const file of typeof target === 'string' ? [target] : Object.values(target)) expect(existsSync(join(installed, file)), `${subpath} -> ${file}`).toBe(true);
    }
  });

  it('typechecks a consumer and reports each deliberate type error', () => {
    const { status, errors } = typecheck();
    expect(errors.filter((e) => e.startsWith('ok.ts'))).toEqual([]);
    expect(errors.map((e) => e.replace(/^(bad\.ts\(\d+),\d+\): error (TS\d+).*$/, '$1) $2'))).toEqual(['bad.ts(9) TS2322', 'bad.ts(12) TS2345', 'bad.ts(13) TS2345']);
    expect(status).not.toBe(0);
  });

  it('runs in Node as ESM, the starship subpath included', () => {
    const out = execFileSync(process.execPath, ['run.mjs'], { cwd: project, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ status: 'created', starshipExports: true });
  });

  it.each(NODE_ONLY)('ships JavaScript without %s', (_what, pattern) => {
    const js = readdirSync(join(installed, 'dist')).filter((f) => f.endsWith('.js'));
    expect(js.length).toBeGreaterThan(0);
    for (const file of js) expect(withoutComments(readFileSync(join(installed, 'dist', file), 'utf8')), file).not.toMatch(pattern);
  });
});
