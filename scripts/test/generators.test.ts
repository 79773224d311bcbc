// Partner teams generate their own clients from the bundled specs. A client generated with @hey-api/openapi-ts from
// each spec must typecheck against code that relies on what the spec promises (scripts/test/generators/*.usage.ts): the
// known sub-statuses (SX6), the webhook payloads' literal status (SX7), the partner event union, the request shapes. A
// spec written the way generators ignore (the old `x-extensible-enum`) must make that code fail to compile.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@hey-api/openapi-ts';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listApis, repoRoot } from '../lib/apis.mjs';
import { typecheck } from '../lib/typecheck.ts';

const apis = listApis().map((api) => api.name as string);
const usageDir = join(repoRoot, 'scripts', 'test', 'generators');
let work: string;
/** Compiler diagnostics by project folder (one per API, plus the fault), from one program over all of them. */
const diagnostics = new Map<string, string[]>();

/** The Starship spec as it was before SX6: `sub_status` a plain string with the known values in a vendor extension. */
function withExtensibleEnum(spec: any) {
  const copy = structuredClone(spec);
  const known = copy.components.schemas.KnownSubStatus.enum;
  copy.components.schemas.SubStatus = { type: 'string', minLength: 1, 'x-extensible-enum': known };
  copy.components.schemas.KnownSubStatus = { type: 'string' };
  return copy;
}

async function generate(project: string, input: string | object, usage: string) {
  mkdirSync(project, { recursive: true });
  await createClient({
    input: input as never,
    output: { path: join(project, 'client') },
    logs: { level: 'silent', file: false },
  });
  copyFileSync(join(usageDir, usage), join(project, 'usage.ts'));
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'starmile-generators-'));
  for (const api of apis)
    await generate(join(work, api), join(repoRoot, 'generated', api, 'openapi.json'), `${api}.usage.ts`);
  const starship = JSON.parse(readFileSync(join(repoRoot, 'generated', 'starship-rewards', 'openapi.json'), 'utf8'));
  await generate(join(work, 'fault-extensible-enum'), withExtensibleEnum(starship), 'starship-rewards.usage.ts');

  // One program for every project: the generated code and the usage files, as strict as our own code.
  writeFileSync(join(work, 'package.json'), '{ "type": "module" }');
  for (const d of typecheck(
    [...apis, 'fault-extensible-enum'].map((p) => join(work, p, 'usage.ts')),
    work,
  )) {
    const project = d.file.split('/')[0]!;
    diagnostics.set(project, [...(diagnostics.get(project) ?? []), d.text]);
  }
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('a hey-api client generated from each bundled spec', () => {
  test.each(apis)('%s: the generated client and the usage file typecheck', (api) => {
    expect(diagnostics.get(api) ?? []).toEqual([]);
  });

  test('the check can fail: with sub_status as a plain string, the usage code does not compile', () => {
    // Every `@ts-expect-error` that relied on the known values is now unused (TS2578).
    const found = diagnostics.get('fault-extensible-enum') ?? [];
    expect(found.filter((d) => d.startsWith('fault-extensible-enum/usage.ts') && d.includes('Unused'))).toHaveLength(2);
  });
});
