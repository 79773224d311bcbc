// `npm run diff -- <git ref>`: rates each API's changes since that ref with `redocly diff` and fails on a
// breaking change that info.version does not announce with a major bump, or a new version CHANGELOG.md lacks.
//
//   npm run diff -- main                                   every API of redocly.yaml, generated/ vs main
//   npm run diff -- <tag or commit> --api starmile-partner  one API
//   npm run diff -- --base-file old.json --head-file new.json [--changelog CHANGELOG.md]
//   npm run diff -- main --api starmile-partner --head-file candidate.json
//
// Exit codes: 0 no unannounced breaking change, 1 a change the version or the changelog does not
// announce, 2 a usage error (unknown ref or API, unreadable file).

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { HTTP_METHODS as METHODS } from '../contract/specs.mjs';
import { listApis, repoRoot } from './lib/apis.mjs';
import { collapseOpenEnums } from './lib/open-enum.mjs';

const SEMVER = /^(\d+)\.(\d+)\.(\d+)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

class UsageError extends Error {}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    api: { type: 'string' },
    'base-file': { type: 'string' },
    'head-file': { type: 'string' },
    changelog: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

/** @returns {Promise<boolean>} whether every API's changes are announced */
async function main() {
  // Only the diff rules run (redocly.yaml holds lint rules, which would switch them off); every rule at its
  // recommended impact: a new required request field and a removed request enum value are major.
  const config = join(work, 'redocly.yaml');
  writeFileSync(config, 'extends:\n  - diff-recommended\n');

  const [ref, ...extra] = positionals;
  if (extra.length) throw new UsageError(`one git ref expected, got ${positionals.join(' ')}`);
  const changelogFile = values.changelog
    ? resolve(values.changelog)
    : ref !== undefined
      ? join(repoRoot, 'CHANGELOG.md')
      : null;
  const changelog = changelogFile && existsSync(changelogFile) ? readFileSync(changelogFile, 'utf8') : null;

  /** @type {{ name: string, base: string | null, head: string }[]} */
  let pairs;
  if (ref === undefined) {
    if (!values['base-file'] || !values['head-file'])
      throw new UsageError('give a git ref, or both --base-file and --head-file');
    pairs = [{ name: values.api ?? null, base: readable(values['base-file']), head: readable(values['head-file']) }];
  } else {
    if (values['base-file']) throw new UsageError('--base-file and a git ref exclude each other');
    const commit = git(['rev-parse', '--verify', '--quiet', `${ref}^{tree}`]);
    if (commit.status !== 0) throw new UsageError(`unknown git ref "${ref}"`);
    const known = listApis().map((a) => a.name);
    if (values.api && !known.includes(values.api))
      throw new UsageError(`unknown API "${values.api}" (known: ${known.join(', ')})`);
    if (values['head-file'] && !values.api) throw new UsageError('--head-file with a git ref needs --api');
    pairs = listApis()
      .filter((api) => !values.api || api.name === values.api)
      .map((api) => {
        const path = `generated/${api.name}/openapi.json`;
        const head = values['head-file'] ? readable(values['head-file']) : join(api.dir, 'openapi.json');
        if (!existsSync(head)) throw new UsageError(`${path} is missing; run npm run build`);
        if (git(['cat-file', '-e', `${ref}:${path}`]).status !== 0) return { name: api.name, base: null, head };
        const base = join(work, `${api.name}.base.json`);
        writeFileSync(base, git(['show', `${ref}:${path}`]).stdout);
        return { name: api.name, base, head };
      });
  }

  const results = await Promise.all(pairs.map((pair) => compare(pair, config)));
  let ok = true;
  for (const result of results) ok = report(result, changelog, changelogFile, ref) && ok;
  return ok;
}

function readable(file) {
  const path = resolve(file);
  if (!existsSync(path)) throw new UsageError(`no such file ${file}`);
  return path;
}

function git(args) {
  return spawnSync('git', args, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

const readSpec = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** Runs `redocly diff` on one pair and returns its JSON report with the two documents. */
async function compare({ name: given, base, head }, config) {
  const headSpec = readSpec(head);
  const name = given ?? headSpec.info?.title ?? head;
  if (base === null) return { name, isNew: true, headSpec };
  const baseSpec = readSpec(base);
  // redocly diff reads `anyOf: [known values, plain string]` (SX6) as a type widened to any; it is compared as the
  // plain string it validates as, so rewriting a string into that form is not reported as breaking.
  const compared = (spec, side) => {
    const file = join(work, `${name}.${side}.compared.json`.replace(/[^\w.-]+/g, '_'));
    writeFileSync(file, JSON.stringify(collapseOpenEnums(spec)));
    return file;
  };
  const cli = realpathSync(join(repoRoot, 'node_modules', '.bin', 'redocly'));
  const args = [
    cli,
    'diff',
    compared(baseSpec, 'base'),
    compared(headSpec, 'head'),
    '--format',
    'json',
    '--fail-on',
    'none',
    '--config',
    config,
  ];
  const { code, stdout, stderr } = await new Promise((done) => {
    const child = spawn(process.execPath, args, {
      cwd: work,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_NOTIFICATIONS: 'true', NO_COLOR: '1' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (c) => done({ code: c, stdout: out, stderr: err }));
  });
  let diff;
  try {
    diff = JSON.parse(stdout);
  } catch {
    throw new UsageError(`redocly diff failed for ${name} (exit ${code}):\n${stderr || stdout}`);
  }
  return { name, isNew: false, baseSpec, headSpec, diff };
}

/** The operations a change touches: "#/paths/~1api~1v1~1orders/post/..." -> createOrder. */
function operationsOf(change, baseSpec, headSpec) {
  const pointers = [change.path, change.base?.pointer, change.revision?.pointer].filter(Boolean);
  const ops = new Set();
  for (const pointer of pointers) {
    const [section, path, method] = pointer
      .replace(/^#\//, '')
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (section !== 'paths' || !path) continue;
    const methods = METHODS.includes(method) ? [method] : METHODS;
    for (const spec of [headSpec, baseSpec])
      for (const m of methods) {
        const id = spec.paths?.[path]?.[m]?.operationId;
        if (id) ops.add(id);
      }
    if (!ops.size) ops.add(METHODS.includes(method) ? `${method.toUpperCase()} ${path}` : path);
  }
  return [...ops];
}

function parseVersion(version, where) {
  const match = SEMVER.exec(version ?? '');
  if (!match) return { error: `${where} info.version "${version}" is not semver (MAJOR.MINOR.PATCH)` };
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

/** The CHANGELOG section of one version of one API: "## <title> <version>" up to the next "## ". */
function changelogSection(changelog, title, version) {
  const lines = changelog.split('\n');
  const escaped = version.replace(/[.+]/g, '\\$&');
  const start = lines.findIndex(
    (l) => /^## /.test(l) && l.includes(title) && new RegExp(`\\[?${escaped}\\]?(\\s|$)`).test(l),
  );
  if (start < 0) return null;
  const end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

/** Prints one API's verdict; @returns {boolean} whether it is announced */
function report(result, changelog, changelogFile, ref) {
  const { name, headSpec } = result;
  const head = parseVersion(headSpec.info?.version, `${name}:`);
  if (head.error) {
    console.error(`✗ ${head.error}`);
    return false;
  }
  if (result.isNew) {
    console.log(`✓ ${name} ${headSpec.info.version}: new API (absent at ${ref}), nothing to break`);
    return true;
  }
  const { baseSpec, diff } = result;
  const base = parseVersion(baseSpec.info?.version, `${name} at the base:`);
  if (base.error) {
    console.error(`✗ ${base.error}`);
    return false;
  }
  const { major, minor, patch } = diff.summary;
  const from = baseSpec.info.version;
  const to = headSpec.info.version;
  console.log(`${name} ${from} -> ${to}: changes: ${major} breaking, ${minor} additive, ${patch} patch-level`);

  const breaking = diff.changes.filter((c) => c.impact === 'major');
  const affected = new Set();
  for (const change of breaking) {
    const ops = operationsOf(change, baseSpec, headSpec);
    for (const op of ops) affected.add(op);
    const why = change.verdicts.filter((v) => v.impact === 'major').map((v) => `${v.ruleId}: ${v.message}`);
    console.log(`  breaking  ${ops.join(', ') || change.path}  ${why.join('; ') || change.kind}`);
  }
  for (const change of diff.changes.filter((c) => c.impact === 'minor'))
    console.log(
      `  additive  ${operationsOf(change, baseSpec, headSpec).join(', ') || change.path}  ${change.kind} ${change.path}`,
    );

  const compareVersions = (a, b) => a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  let ok = true;
  if (compareVersions(head, base) < 0) {
    console.error(`✗ ${name}: info.version went down (${from} -> ${to})`);
    ok = false;
  }
  if (major > 0 && head.major <= base.major) {
    console.error(
      `✗ ${name}: ${major} breaking change${major === 1 ? '' : 's'} without a major version bump; set info.version to ${base.major + 1}.0.0 ` +
        `and list the affected operations in CHANGELOG.md: ${[...affected].join(', ')}`,
    );
    ok = false;
  } else if (minor > 0 && compareVersions(head, base) <= 0) {
    console.warn(
      `! ${name}: additive changes; a minor version bump (${base.major}.${base.minor + 1}.0) would announce them`,
    );
  }
  if (ok && to !== from && changelog !== null) {
    const section = changelogSection(changelog, headSpec.info.title, to);
    if (section === null) {
      console.error(`✗ ${name}: ${changelogFile} has no "## ${headSpec.info.title} ${to}" entry`);
      ok = false;
    } else {
      const missing = major > 0 ? [...affected].filter((op) => !section.includes(op)) : [];
      if (missing.length) {
        console.error(
          `✗ ${name}: the ${to} entry of ${changelogFile} does not name the affected operations ${missing.join(', ')}`,
        );
        ok = false;
      }
    }
  }
  if (ok) console.log(`✓ ${name}: ${major ? `breaking changes announced by ${to}` : 'no breaking change'}`);
  return ok;
}

const work = mkdtempSync(join(tmpdir(), 'starmile-diff-'));
try {
  if (values.help) {
    console.log(
      'usage: npm run diff -- <git ref> [--api <name>] [--head-file <file>] | --base-file <file> --head-file <file> [--changelog <file>]',
    );
  } else {
    process.exitCode = (await main()) ? 0 : 1;
  }
} catch (error) {
  console.error(`diff: ${error instanceof UsageError ? error.message : error.stack}`);
  process.exitCode = 2;
} finally {
  rmSync(work, { recursive: true, force: true });
}
