// A server written from the published documents alone (the sandbox behind the documents-only adapter) gets a clean
// documented verdict, and its contract verdict names each way it differs from our design.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type ConformanceOutcome, runConformance } from '../src/conformance.ts';
import { classOf } from '../src/context.ts';
import { operations } from '../src/contract-check.ts';
import { resolveProfile } from '../src/profile.ts';
import { shapeRuleId } from '../src/shape-rules.ts';
import { documentsOnly, documentsOnlyProfile } from './support/documents-only.ts';
import { faultCredentials } from './support/faults.ts';
import { type FaultyProxy, startFaultyProxy } from './support/faulty-proxy.ts';
import { startSignedSandbox } from './support/sandbox.ts';

let sandbox: Awaited<ReturnType<typeof startSignedSandbox>>;
let proxy: FaultyProxy;
let outcome: ConformanceOutcome;

const SHAPES = operations('starmile-partner').map((op) => shapeRuleId(op.operationId));

/** Each way the adapter reads the documents differently from our design, and the contract rules that must name it. */
const DIFFERENCES: [difference: string, rules: string[]][] = [
  ['adds fields of its own to every answer, errors included (D9: responses carry only defined fields)', SHAPES],
  ['takes flow ids as service_id (000, 003 field table; D1 chose the Service id)', ['ORD-SERVICE-ID']],
  [
    'refuses the limit parameter (designed, X4)',
    ['FEED-RESUME', 'FEED-PAGING', 'FEED-422-LIMIT', 'GEN-RESPONSE-CONTRACT'],
  ],
  [
    'ignores fields it does not know (D9 refuses them, so X14 has errors to bound)',
    ['ORD-422-UNKNOWN-FIELD', 'UPD-422-INVALID', 'CAN-422-INVALID', 'EVT-422-INVALID', 'ORD-422-ERRORS-BOUNDED'],
  ],
  [
    'reads bodies as JSON.parse does: a repeated key keeps its last value, invalid UTF-8 becomes U+FFFD (X12 refuses both)',
    ['HTTP-400-REPEATED-KEY', 'HTTP-400-INVALID-UTF8'],
  ],
  ['ignores a destination the service does not take (D11 refuses it)', ['ORD-422-DESTINATION-MISPLACED']],
  ['records a zero weight or dimension ("records-only"; D14 bounds them)', ['ORD-422-FIELD-LIMITS']],
  ['answers an empty update with the parcel ("all optional"; D21 refuses it)', ['UPD-422-INVALID']],
  [
    'names the delivery types its own way (the documents name them in prose; D11, X8)',
    ['SERVICES-DELIVERY-TYPE', 'SHAPE-LIST-SERVICES'],
  ],
  ['uses sequence cursors, so an edited cursor is a genuine earlier position (X4 signs them)', ['FEED-422-CURSOR']],
  [
    'has no since=now: it refuses "now" as a cursor it did not issue (Partner API 1.0; X10 adds it in 2.0.0)',
    ['FEED-SINCE-NOW'],
  ],
  [
    'answers the 201 with the fields 001 lists (D4 adds external_parent_id, merchant_tracking)',
    ['ORD-CREATE', 'SHAPE-CREATE-ORDER'],
  ],
  [
    'lets any valid token read services and rates (D8 gives them orders:create)',
    ['SCOPE-LIST-SERVICES', 'SCOPE-LIST-RATES'],
  ],
  ['sends no Cache-Control with tokens (X1)', ['TOKEN-ISSUE']],
  ['sends no realm in its challenges (D6)', ['AUTH-MISSING-TOKEN']],
  ['leaves partner_tracking "" when item_id is omitted (D20 says null)', ['ORD-ITEM-ID-ECHO']],
];

beforeAll(async () => {
  sandbox = await startSignedSandbox();
  proxy = await startFaultyProxy(sandbox.url, faultCredentials);
  proxy.setFault(documentsOnly());
  const profile = resolveProfile(documentsOnlyProfile(proxy.url));
  // The sandbox records every change before it answers: polling longer for an entry the adapter never shows proves
  // nothing.
  profile.timing.feedTimeoutMs = 300;
  outcome = await runConformance({ profile, decidingClass: 'documented', reportDir: null, write: null });
}, 120_000);

afterAll(async () => {
  await proxy?.close();
  await sandbox?.close();
});

test('the documented class passes 100%, every rule verified, and decides a clean exit', () => {
  const documented = outcome.verdict.rules.filter((r) => r.verdicts.documented);
  expect(
    documented
      .filter((r) => r.verdicts.documented !== 'pass')
      .map(
        (r) =>
          `${r.id}: ${r.verdicts.documented} ${r.failures.filter((f) => f.class === 'documented').map((f) => f.message)[0] ?? r.blocked?.reason ?? r.reason ?? ''}`,
      ),
  ).toEqual([]);
  expect(outcome.verdict.totals.documented.pass).toBe(outcome.verdict.totals.documented.rules);
  expect(outcome.exitCode).toBe(0);
  expect(outcome.doc.verdict).toMatch(/^documented: (\d+)\/\1 pass · contract: \d+\/\d+ pass$/);
});

test('the contract class fails exactly the rules that name a designed difference', () => {
  const failing = outcome.verdict.rules
    .filter((r) => r.verdicts.contract === 'fail')
    .map((r) => r.id)
    .sort();
  expect(failing).toEqual([...new Set(DIFFERENCES.flatMap(([, rules]) => rules))].sort());
  // With flow ids, the other warehouse's service carries a flow this warehouse runs too: no order can name only it.
  expect(outcome.verdict.rules.filter((r) => r.verdicts.contract === 'not verified').map((r) => r.id)).toEqual([
    'ORD-422-SERVICE-OTHER-WAREHOUSE',
  ]);
});

test('without since=now the suite walks each feed once from its oldest entry, and a warning says what that cost', () => {
  const warnings = outcome.doc.warnings.filter((w) => w.includes('refuses since=now'));
  expect(warnings.length).toBe(1);
  expect(warnings[0]).toMatch(
    /^The status pool refuses since=now \(422 naming since: a Partner API 1\.0 server, decision X10\), so the suite read each credential's feed from its oldest entry to find its end \((\S+: [\d,]+ entr(y|ies) in [\d,]+ pages?, \d+\.\d s(; )?)+\)\. This cost grows with the server's history; with since=now \(Partner API 2\.0\.0\) it is one request per read\.$/,
  );
  // One walk per credential whose feed a rule read: the full one, the other partner, the other warehouse.
  expect(warnings[0]!.match(/, \d+\.\d s\b/g)).toHaveLength(3);
});

test.each(DIFFERENCES)('the contract verdict names the difference: %s', (_difference, ids) => {
  for (const id of ids) {
    const r = outcome.verdict.rules.find((x) => x.id === id)!;
    expect(r.verdicts.contract, id).toBe('fail');
    // Each failure rests on a designed part: the rule's own source, or the part the failing assertion names.
    for (const f of r.failures)
      expect(f.class === 'contract' && (!!f.source || classOf(r.meta) === 'contract'), `${id}: ${f.message}`).toBe(
        true,
      );
  }
});
