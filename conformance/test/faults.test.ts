// Every rule can fail: against a proxy injecting the rule's own fault (kept beside its check), a run filtered to it
// reports it failed in every class the rule belongs to (or a sharper fault proves its documented class); each sharper
// fault fails its rule at MUST level in its class.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AssertionClass, ruleById, rules } from '../registry/index.ts';
import { runConformance } from '../src/conformance.ts';
import { classOf } from '../src/context.ts';
import type { RuleDefinition } from '../src/define.ts';
import { type Profile, resolveProfile } from '../src/profile.ts';
import { faultCredentials } from './support/faults.ts';
import { type FaultyProxy, startFaultyProxy } from './support/faulty-proxy.ts';
import { startSignedSandbox } from './support/sandbox.ts';
import { sandboxProfile } from './support/sandbox-profile.ts';

let sandbox: Awaited<ReturnType<typeof startSignedSandbox>>;
let proxy: FaultyProxy;
let profile: Profile;

beforeAll(async () => {
  sandbox = await startSignedSandbox();
  proxy = await startFaultyProxy(sandbox.url, faultCredentials);
  profile = resolveProfile(sandboxProfile(proxy.url));
  // The sandbox records every change before it answers: waiting longer for an entry a fault dropped proves nothing.
  profile.timing.feedTimeoutMs = 300;
});

afterAll(async () => {
  await proxy?.close();
  await sandbox?.close();
});

test('with no fault the proxy is transparent: the whole suite passes through it', async () => {
  proxy.setFault(undefined);
  const { run } = await runConformance({ profile, reportDir: null, write: null });
  expect(
    run.results
      .filter((r) => r.status !== 'pass')
      .map((r) => `${r.id}: ${r.failures[0]?.message ?? r.blocked?.reason ?? r.reason}`),
  ).toEqual([]);
});

test('a cleanup failure is reported against the rule that made the mess, and the next rule is unaffected', async () => {
  // The server loses the orders the suite tries to clean up.
  proxy.setFault(async (req, ctx) =>
    req.method === 'POST' && req.path.endsWith('/cancel') && req.json?.reason === 'conformance suite cleanup'
      ? {
          status: 404,
          headers: { 'content-type': 'application/json' },
          body: Buffer.alloc(0),
          json: { message: 'No such order.' },
        }
      : ctx.upstream(req),
  );
  try {
    const { run } = await runConformance({
      profile,
      filters: ['ORD-CREATE', 'ORD-NOT-FOUND'],
      reportDir: null,
      write: null,
    });
    const [made, next] = run.results;
    expect(made!.status).toBe('fail');
    expect(made!.failures.map((f) => [f.phase, f.exchange?.status])).toEqual([['cleanup', 404]]);
    expect(made!.failures[0]!.message).toMatch(/^cancel order \S+: cleanup cancel of \S+ answered 404/);
    expect(next!.status).toBe('pass');
  } finally {
    proxy.setFault(undefined);
  }
});

describe('each fault makes its rule fail in the class the rule belongs to', () => {
  // Every rule is in the contract class; a rule resting on the documents is in the documented class too, and a fault
  // that breaks only a designed part of it would leave its documented checks unproven. So the main fault must fail the
  // documented verdict as well, unless a sharper fault is declared to do so (and is run below).
  const provedBySharperFault = (rule: RuleDefinition) => rule.moreFaults?.some((f) => f.class === 'documented');
  test.each(rules.map((r) => r.id))('%s', async (id) => {
    const rule = ruleById.get(id)!;
    const documented = classOf(rule) === 'documented' && !provedBySharperFault(rule);
    const expected: Partial<Record<AssertionClass, string>> = { contract: 'fail' };
    if (documented) expected.documented = 'fail';
    proxy.setFault(rule.fault);
    try {
      const { verdict } = await runConformance({ profile, filters: [id], reportDir: null, write: null });
      const result = verdict.rules.find((r) => r.id === id)!;
      const failures = result.failures.map((f) => `[${f.class}] ${f.message}`).join('\n');
      expect(
        Object.fromEntries(Object.keys(expected).map((c) => [c, result.verdicts[c as AssertionClass]])),
        `${id} against its fault: ${failures}`,
      ).toEqual(expected);
    } finally {
      proxy.setFault(undefined);
    }
  });
});

describe('the sharper checks catch their bugs at MUST level in their class', () => {
  const sharper = rules.flatMap((r) => (r.moreFaults ?? []).map((f) => ({ ...f, rule: r.id })));
  test('there are some', () => expect(sharper.length).toBeGreaterThan(0));
  test.each(sharper.map((f) => [`${f.rule}: ${f.bug}`, f] as const))('%s', async (_name, f) => {
    proxy.setFault(f.fault);
    try {
      const { verdict } = await runConformance({ profile, filters: [f.rule], reportDir: null, write: null });
      const result = verdict.rules.find((r) => r.id === f.rule)!;
      expect(result.meta.level).toBe('MUST');
      expect(
        result.verdicts[f.class],
        `${f.rule} in the ${f.class} class: ${result.failures.map((x) => `[${x.class}] ${x.message}`).join('\n')}`,
      ).toBe('fail');
    } finally {
      proxy.setFault(undefined);
    }
  });
});
