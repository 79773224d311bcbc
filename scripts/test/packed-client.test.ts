// The npm package as a user gets it: `npm pack`, installed offline (empty cache) into fresh projects: a consumer that
// typechecks and runs it as ESM and as CommonJS, and a project made exactly as the README says, running the README's
// snippet.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_ONLY, withoutComments } from '../../client/test/support/node-only.js';
import { loadFixtures, startSandbox } from '../../sandbox/src/server.ts';
import { cleanEnv, installOffline, pack } from './support/offline-install.js';

const clientDir = fileURLToPath(new URL('../../client/', import.meta.url));
const fixtures = fileURLToPath(new URL('fixtures/consumer/', import.meta.url));
const execAsync = promisify(execFile);
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');

let work: string;
let tarball: string;
let project: string;
let installed: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'starmile-client-pack-'));
  tarball = pack(clientDir, work);
  project = join(work, 'consumer');
  mkdirSync(project);
  cpSync(fixtures, project, { recursive: true });
  installOffline(tarball, project, { type: 'module' });
  installed = join(project, 'node_modules', '@starmile', 'partner-client');
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function typecheck() {
  const run = spawnSync(process.execPath, [tsc, '-p', '.', '--pretty', 'false', '--listFiles'], {
    cwd: project,
    encoding: 'utf8',
  });
  const lines = run.stdout.split('\n');
  const errors = lines.filter((line) => /error TS\d+/.test(line));
  const declarations = lines
    .filter((line) => line.includes('/@starmile/partner-client/dist/'))
    .map((line) => line.replace(/^.*\/partner-client\//, ''));
  return { status: run.status, errors, declarations };
}

const runNode = (file: string) =>
  JSON.parse(execFileSync(process.execPath, [file], { cwd: project, encoding: 'utf8' })) as unknown;

describe('the packed package', () => {
  it('holds the built code, its declarations and the generated Starmile types, and no sources', () => {
    const files = readdirSync(join(installed, 'dist', 'client', 'src'));
    expect(files).toEqual(expect.arrayContaining(['index.js', 'index.d.ts', 'client.js', 'schema.d.ts']));
    expect(existsSync(join(installed, 'src'))).toBe(false);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(readFileSync(join(installed, 'dist', 'generated', 'starmile-partner', 'schema.d.ts'), 'utf8')).toContain(
      '"/api/v1/orders/{order_id}"',
    );
  });

  it('has a file behind every export it declares (starship once its source exists)', () => {
    type Target = string | { [condition: string]: Target };
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
      exports: Record<string, Target>;
      main: string;
      types: string;
    };
    const files = (target: Target): string[] =>
      typeof target === 'string' ? [target] : Object.values(target).flatMap(files);
    const hasStarship = existsSync(join(clientDir, 'src', 'starship.ts'));
    for (const [subpath, target] of Object.entries({
      ...manifest.exports,
      main: manifest.main,
      types: manifest.types,
    })) {
      if (subpath === './starship' && !hasStarship) continue;
      for (const file of files(target)) expect(existsSync(join(installed, file)), `${subpath} -> ${file}`).toBe(true);
    }
  });

  it('offers each entry point to import and to require, each with its own declarations', () => {
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (subpath === './package.json') continue;
      // Condition order matters: Node and TypeScript take the first that matches, and "types" must come first.
      expect(
        JSON.parse(JSON.stringify(target, (_k, v: unknown) => (typeof v === 'string' ? v.replace(/[^/]+$/, '*') : v))),
        subpath,
      ).toEqual({
        import: { types: './dist/client/src/*', default: './dist/client/src/*' },
        require: { types: './dist/cjs/client/src/*', default: './dist/cjs/client/src/*' },
      });
    }
  });

  it('typechecks an ESM and a CommonJS consumer, each against its own declarations, and reports each deliberate type error', () => {
    const { status, errors, declarations } = typecheck();
    expect(errors.map((e) => e.replace(/^([\w.]+\(\d+),\d+\): error (TS\d+).*$/, '$1) $2'))).toEqual([
      'bad.ts(9) TS2322',
      'bad.ts(12) TS2345',
      'bad.ts(13) TS2345',
      'cjs.cts(15) TS2345',
    ]);
    expect(declarations).toEqual(
      expect.arrayContaining([
        'dist/client/src/index.d.ts',
        'dist/client/src/starship.d.ts',
        'dist/cjs/client/src/index.d.ts',
        'dist/cjs/client/src/starship.d.ts',
      ]),
    );
    expect(status).not.toBe(0);
  });

  it('runs in Node as ESM, the starship subpath included', () => {
    expect(runNode('run.mjs')).toEqual({
      status: 'created',
      starshipExports: true,
      resolved: 'dist/client/src/index.js',
    });
  });

  it('runs in Node from CommonJS on the CommonJS build, the starship subpath included', () => {
    expect(runNode('run.cjs')).toEqual({
      status: 'created',
      starshipExports: true,
      resolved: 'dist/cjs/client/src/index.js',
    });
  });

  it.each(NODE_ONLY)('ships JavaScript without %s', (_what, pattern) => {
    // The ES modules, the contract's they import included (the CommonJS build is for Node).
    const js = (readdirSync(join(installed, 'dist'), { recursive: true }) as string[]).filter(
      (f) => f.endsWith('.js') && !f.startsWith('cjs'),
    );
    expect(js).toEqual(expect.arrayContaining(['client/src/index.js', 'contract/lifecycle.js']));
    for (const file of js)
      expect(withoutComments(readFileSync(join(installed, 'dist', file), 'utf8')), file).not.toMatch(pattern);
  });
});

/** The README's "I want a client" section: its TypeScript snippet, and the commands of its shell block in order. */
function readmeClientSection() {
  const readme = readFileSync(join(clientDir, '..', 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((part) => part.startsWith('I want a client'));
  if (!section) throw new Error('README.md has no "## I want a client" section');
  const block = (lang: string) => section.match(new RegExp(`^\`\`\`${lang}\n([\\s\\S]*?)^\`\`\`$`, 'm'))?.[1] ?? '';
  const commands = block('sh')
    .split('\n')
    .flatMap((line) => line.replace(/#.*$/, '').split('&&'))
    .map((command) => command.trim())
    .filter(Boolean);
  return { snippet: block('ts'), commands };
}

describe('a project made from scratch as the README says', () => {
  it("runs the README's client snippet against the sandbox", async () => {
    const { snippet, commands } = readmeClientSection();
    expect(snippet).toContain("baseUrl: 'http://localhost:4020'");
    expect(commands).toEqual(
      expect.arrayContaining(['npm init -y', 'npm install @starmile/partner-client', 'node index.js']),
    );
    const sandbox = await startSandbox({ port: 0 });
    try {
      const app = join(work, 'readme-app');
      mkdirSync(app);
      writeFileSync(join(app, 'index.ts'), snippet.replace('http://localhost:4020', sandbox.url));
      // Offline, with an empty cache: only the two installs need packages, and they get them from this repository.
      const env = {
        ...cleanEnv(),
        npm_config_cache: mkdtempSync(join(work, 'npm-cache-')),
        npm_config_offline: 'true',
      };
      const INSTALLS: Record<string, () => void> = {
        'npm install -D typescript': () =>
          execFileSync('npm', ['install', '-D', '--no-audit', '--no-fund', dirname(dirname(tsc))], {
            cwd: app,
            env,
            stdio: 'pipe',
          }),
        'npm install @starmile/partner-client': () => installOffline(tarball, app),
      };
      let output = '';
      for (const command of commands) {
        const install = INSTALLS[command];
        if (install) {
          install();
          continue;
        }
        // Asynchronous: the sandbox answering `node index.js` runs in this process.
        const step = await execAsync('sh', ['-c', command], { cwd: app, env, encoding: 'utf8', timeout: 60_000 }).catch(
          (error: { stdout?: string; stderr?: string }) => {
            throw new Error(`${command} failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
          },
        );
        output = step.stdout;
      }
      const service = loadFixtures().services[0]!;
      expect(output).toContain(`${service.id} ${service.delivery_type}`);
    } finally {
      await sandbox.close();
    }
  }, 180_000);
});
