// Reports of a failing run: results.json, JUnit and HTML carry the rule, its quote, request, response and a curl
// reproducer, and never a secret.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { specBytes } from '../../contract/index.ts';
import { startSandbox } from '../../sandbox/src/server.ts';
import { ruleById } from '../registry/index.ts';
import { type ConformanceOutcome, runConformance } from '../src/conformance.ts';
import { resolveProfile } from '../src/profile.ts';
import { SUITE_VERSION } from '../src/version.ts';
import { faultCredentials } from './support/faults.ts';
import { type FaultyProxy, startFaultyProxy } from './support/faulty-proxy.ts';
import { sandboxProfile } from './support/sandbox-profile.ts';

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let proxy: FaultyProxy;
let dir: string;
let outcome: ConformanceOutcome;
let consoleText = '';

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  proxy = await startFaultyProxy(sandbox.url, faultCredentials);
  dir = mkdtempSync(join(tmpdir(), 'conformance-reports-'));
  const input = sandboxProfile(proxy.url);
  // The credential whose token the failing request carries takes its secret from the environment.
  const writer = input.credentials.narrow.find((c) => !c.scopes.includes('status:read'))!;
  writer.clientSecret = { env: 'CF_REPORT_WRITER_SECRET' };
  const env = { CF_REPORT_WRITER_SECRET: faultCredentials.find((c) => c.clientId === writer.clientId)!.secret };
  const profile = resolveProfile(input, env);
  proxy.setFault(ruleById.get('SCOPE-GET-ORDER')!.fault);
  outcome = await runConformance({
    profile,
    filters: ['SCOPE-GET-ORDER', 'ORD-CREATE', 'tag:token'],
    reportDir: dir,
    write: (s) => (consoleText += s),
  });
});

afterAll(async () => {
  await proxy?.close();
  await sandbox?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a MUST failure makes the run NOT OK (exit 1) and is reported with everything needed to reproduce it', () => {
  expect(outcome.exitCode).toBe(1);
  const doc = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
  expect(doc.suite.version).toBe(SUITE_VERSION);
  expect(doc.specs['starmile-partner'].sha256).toBe(
    createHash('sha256').update(specBytes('starmile-partner')).digest('hex'),
  );
  expect(doc.target.url).toBe(proxy.url);
  const failed = doc.rules.find((r: any) => r.id === 'SCOPE-GET-ORDER');
  expect(failed.status).toBe('fail');
  expect(failed.source.specLocation).toBeDefined();
  const f = failed.failures[0];
  expect(f.request.method).toBe('GET');
  expect(f.response.status).toBe(200);
  expect(f.curl).toMatch(/^# needs: \$CF_REPORT_WRITER_SECRET/);
  expect(f.curl).toMatch(
    /^STARMILE_TOKEN_SM_TEST_WRITER=\$\(curl -s -X POST .*\\"client_secret\\":\\"\$CF_REPORT_WRITER_SECRET\\"/m,
  );
  expect(f.curl).toMatch(
    /curl -i -X GET '.*\/api\/v1\/orders\/SM\d+' \\\n {2}-H 'Accept: application\/json' \\\n {2}-H "Authorization: Bearer \$\{STARMILE_TOKEN_SM_TEST_WRITER\}"/,
  );
  expect(doc.rules.find((r: any) => r.id === 'ORD-CREATE').status).toBe('pass');
  expect(consoleText).toContain('{ "rule": "SCOPE-GET-ORDER", "reason": "TODO');
  // The summary first, then the failures in words; the rules that passed only with --verbose.
  const summary = consoleText.indexOf('NOT OK  1 rule fails in the contract class (1 MUST)');
  const failures = consoleText.indexOf('Failures (1):');
  expect(summary).toBeGreaterThan(0);
  expect(failures).toBeGreaterThan(summary);
  expect(consoleText).toMatch(/✗ SCOPE-GET-ORDER \[MUST; contract: FAIL\]/);
  expect(consoleText).toMatch(
    /failed \[contract\]: sm_test_\w+ lacks status:read: GET \/api\/v1\/orders\/SM\d+: expected a refusal \(a 4xx\), got 200/,
  );
  expect(consoleText).not.toMatch(/ORD-CREATE\s+MUST\s+pass/);
  expect(consoleText).toMatch(/documented: \d+\/\d+ pass · contract: \d+\/\d+ pass/);
});

test('JUnit and HTML are built from the same results', () => {
  const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
  expect(xml).toMatch(
    /<testcase classname="starmile-partner.getOrder" name="SCOPE-GET-ORDER \[MUST, contract\][^"]*"[^>]*>\s*<failure/,
  );
  expect((xml.match(/<testcase /g) ?? []).length).toBe(outcome.doc.totals.rules);
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  expect(html).toContain('id="fail-SCOPE-GET-ORDER"');
  expect(html).toContain('<a class="fail" href="#fail-SCOPE-GET-ORDER">FAIL</a>');
  expect(html).toContain('STARMILE_TOKEN_SM_TEST_WRITER');
  expect(html).toMatch(/<dt>\$STARMILE_TOKEN_SM_TEST_WRITER<\/dt><dd>An access token of the client it names/);
  // One file: nothing is loaded from elsewhere.
  expect(html).not.toMatch(/<(link|script)[^>]+(src|href)=/);
});

test('no client secret and no issued token appears in the console or any report', () => {
  const outputs = [
    consoleText,
    ...['results.json', 'junit.xml', 'index.html'].map((f) => readFileSync(join(dir, f), 'utf8')),
  ].join('\n');
  const leaked = [...faultCredentials.map((c) => c.secret), ...sandbox.state.tokens.keys()].filter((s) =>
    outputs.includes(s),
  );
  expect(leaked).toEqual([]);
  expect(sandbox.state.tokens.size).toBeGreaterThan(0);
  expect(outputs).toContain('$CF_REPORT_WRITER_SECRET');
});
