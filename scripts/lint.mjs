// `npm run lint`: Redocly (recommended-strict plus extras) over every API, then an independent validation of each
// bundled spec against the official OAS 3.1 schema, then the x-source and the other extensions' checks.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundle, loadConfig } from '@redocly/openapi-core';
import { Validator } from '@seriousme/openapi-schema-validator';
import { listApis, repoRoot } from './lib/apis.mjs';
import { checkExtensions } from './lib/extensions.mjs';
import { vendoredSeedDrift } from './lib/seeds.mjs';
import { checkXSource } from './lib/x-source.mjs';

process.env.REDOCLY_TELEMETRY = 'off';
let failed = false;
const fail = (msg) => {
  failed = true;
  console.error(`  ✗ ${msg}`);
};

console.log('redocly lint (recommended-strict)');
const redocly = spawnSync(join(repoRoot, 'node_modules', '.bin', 'redocly'), ['lint', '--format', 'stylish'], {
  cwd: repoRoot,
  encoding: 'utf8',
});
const out = `${redocly.stdout}${redocly.stderr}`;
const problems = out.split('\n').filter((l) => /\b(error|warning)\b/.test(l) && /\d+:\d+/.test(l));
for (const line of problems) console.error(line);
if (redocly.status !== 0 || problems.length) fail(`redocly lint: exit ${redocly.status}, ${problems.length} problems`);
else console.log('  0 errors, 0 warnings');

const config = await loadConfig({ configPath: join(repoRoot, 'redocly.yaml') });
for (const api of listApis()) {
  const bundled = (await bundle({ ref: api.root, config })).bundle.parsed;
  const validator = new Validator();
  const result = await validator.validate(structuredClone(bundled));
  console.log(`OAS ${bundled.openapi} schema (@seriousme/openapi-schema-validator): ${api.name}`);
  if (!result.valid) fail(`${api.name}: ${JSON.stringify(result.errors, null, 2)}`);
  else console.log('  valid');
  if (bundled.jsonSchemaDialect !== 'https://json-schema.org/draft/2020-12/schema')
    fail(`${api.name}: jsonSchemaDialect must be JSON Schema 2020-12`);
  // Redocly's no-unused-components only sees components listed in the root; ours are files reached
  // by $ref, so an orphan file is found by comparing the folders with what the bundle pulled in.
  for (const kind of ['schemas', 'parameters', 'responses', 'examples', 'headers']) {
    const folder = join(dirname(api.root), 'components', kind);
    if (!existsSync(folder)) continue;
    const bundledNames = new Set(Object.keys(bundled.components?.[kind] ?? {}));
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.yaml')))
      if (!bundledNames.has(file.replace(/\.yaml$/, ''))) fail(`${api.name}: components/${kind}/${file} is not used`);
  }
  console.log(`x-source: ${api.name}`);
  const xs = checkXSource(bundled);
  for (const p of xs) fail(p);
  if (!xs.length)
    console.log('  every operation and property says where it comes from; every quote occurs in its seed');
  console.log(`x-retry-safe, the bounds on info: ${api.name}`);
  const ext = checkExtensions(bundled);
  for (const p of ext) fail(p);
  if (!ext.length) console.log('  every operation says whether it may be repeated; the bounds it states are whole');
}

const drift = vendoredSeedDrift();
if (drift.length) fail(`docs/sources differs from ../shared/seeds: ${drift.join(', ')} (copy the seeds again)`);

if (failed) {
  console.error('lint failed');
  process.exit(1);
}
console.log('lint passed');
