// `npm run diff` catches breaking changes the version does not announce: each case edits a temporary copy of
// the bundled Starmile spec; the working tree is only read (git show of HEAD).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { repoRoot } from '../lib/apis.mjs';

type Spec = Record<string, any>;
const bundled = readFileSync(join(repoRoot, 'generated', 'starmile-partner', 'openapi.json'), 'utf8');
const fresh = (): Spec => JSON.parse(bundled);
const work = mkdtempSync(join(tmpdir(), 'starmile-diff-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let files = 0;
function write(content: Spec | string): string {
  const file = join(work, `${++files}.${typeof content === 'string' ? 'md' : 'json'}`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function diff(...args: string[]) {
  const run = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'diff.mjs'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: run.status, out: `${run.stdout}\n${run.stderr}` };
}

const bump = (spec: Spec, version: string) => {
  spec.info.version = version;
  return spec;
};
/** A change to a spec, as an edit that returns the spec it changed. */
const edit = (change: (s: Spec) => unknown) => (s: Spec) => {
  change(s);
  return s;
};
const requireGovId = edit((s) => s.components.schemas.CreateOrderRequest.required.push('gov_id'));
const removeLiquid = edit((s) => {
  s.components.schemas.PackageType.enum = ['fragile', 'breakable'];
});
const base = fresh();
const major = `${Number(base.info.version.split('.')[0]) + 1}.0.0`;
const minor = base.info.version.replace(
  /^(\d+)\.(\d+)\.\d+/,
  (_: string, a: string, b: string) => `${a}.${Number(b) + 1}.0`,
);

/** `customer_name` as an open enum of two known names and any string of at most `max` characters. */
function openCustomerName(s: Spec, max: number) {
  const { description, 'x-source': source } = s.components.schemas.CreateOrderRequest.properties.customer_name;
  s.components.schemas.KnownName = { type: 'string', enum: ['Aysel M.', 'Rashad K.'] };
  s.components.schemas.CreateOrderRequest.properties.customer_name = {
    description,
    'x-source': source,
    anyOf: [{ $ref: '#/components/schemas/KnownName' }, { type: 'string', minLength: 1, maxLength: max }],
  };
}

/** [name, edit of the head spec, expected exit code, text the report must contain] */
const cases: [string, (s: Spec) => Spec, number, RegExp][] = [
  ['unchanged', (s) => s, 0, /no breaking change/],
  [
    'a newly required request field, same version',
    requireGovId,
    1,
    /createOrder.*required-properties-added[\s\S]*without a major version bump/,
  ],
  ['a removed request enum value, same version', removeLiquid, 1, /createOrder.*enum-values-removed.*liquid/],
  ['a removed enum value, minor bump only', (s) => bump(removeLiquid(s), minor), 1, /without a major version bump/],
  ['a removed operation, same version', edit((s) => delete s.paths['/api/v1/rates']), 1, /listRates.*path-removed/],
  [
    'a removed enum value announced by a major bump',
    (s) => bump(removeLiquid(s), major),
    0,
    /breaking changes announced by/,
  ],
  [
    'a newly required field announced by a major bump',
    (s) => bump(requireGovId(s), major),
    0,
    /breaking changes announced by/,
  ],
  [
    'a new optional request field (additive), minor bump',
    (s) =>
      bump(
        edit((x) => {
          x.components.schemas.CreateOrderRequest.properties.reference_note = { type: 'string', maxLength: 64 };
        })(s),
        minor,
      ),
    0,
    /0 breaking, 1 additive[\s\S]*no breaking change/,
  ],
  // SX6: an open enum validates as its plain string branch; rewriting a string that way is not a widened type.
  [
    'a string rewritten as an open enum (anyOf known values, string)',
    edit((s) => openCustomerName(s, 255)),
    0,
    /0 breaking[\s\S]*no breaking change/,
  ],
  [
    'an open enum whose string branch is narrower, same version',
    edit((s) => openCustomerName(s, 100)),
    1,
    /createOrder.*maxLength[\s\S]*without a major version bump/,
  ],
  ['a version that is not semver', (s) => bump(s, 'v1'), 1, /not semver/],
  ['a version that goes down', (s) => bump(s, '0.9.0'), 1, /went down/],
];

describe('npm run diff -- --base-file --head-file', () => {
  const baseFile = write(base);
  test.each(cases)('%s', (_name, edit, code, report) => {
    const result = diff('--base-file', baseFile, '--head-file', write(edit(fresh())));
    expect(result.out).toMatch(report);
    expect(result.code, result.out).toBe(code);
  });
});

describe('npm run diff -- <git ref>', () => {
  // Candidates start from the committed spec, so others' uncommitted edits of generated/ cannot sway these cases.
  const committed = spawnSync('git', ['show', 'HEAD:generated/starmile-partner/openapi.json'], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const atHead = (): Spec => JSON.parse(committed.stdout);

  test('the spec at HEAD against a breaking candidate: caught', () => {
    const result = diff('HEAD', '--api', 'starmile-partner', '--head-file', write(removeLiquid(atHead())));
    expect(result.code, result.out).toBe(1);
    expect(result.out).toMatch(/enum-values-removed/);
  });

  test('a major bump also needs a CHANGELOG entry naming the affected operations', () => {
    const head = write(bump(removeLiquid(atHead()), major));
    const title = base.info.title;
    const withChangelog = (changelog: string) =>
      diff('HEAD', '--api', 'starmile-partner', '--head-file', head, '--changelog', write(changelog));
    const missing = withChangelog('# Changelog\n');
    expect(missing.code, missing.out).toBe(1);
    expect(missing.out).toMatch(new RegExp(`no "## ${title} ${major}" entry`));
    const vague = withChangelog(`# Changelog\n\n## ${title} ${major} — 2027-01-01\n\n### Removed\n- liquid\n`);
    expect(vague.code, vague.out).toBe(1);
    expect(vague.out).toMatch(/does not name the affected operations createOrder/);
    const good = withChangelog(
      `# Changelog\n\n## ${title} ${major} — 2027-01-01\n\n### Removed\n- \`package_type: liquid\` (createOrder)\n`,
    );
    expect(good.code, good.out).toBe(0);
  });

  test('an API absent at the ref is new, not breaking', () => {
    // The empty tree: every path is absent there.
    const result = diff(
      '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
      '--api',
      'starmile-partner',
      '--head-file',
      write(atHead()),
    );
    expect(result.code, result.out).toBe(0);
    expect(result.out).toMatch(/new API/);
  });

  test('an unknown ref is a usage error', () => {
    const result = diff('no-such-ref-anywhere');
    expect(result.code).toBe(2);
    expect(result.out).toMatch(/unknown git ref/);
  });
});
