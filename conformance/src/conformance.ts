// One conformance run from options to reports: pick the target and profile (the embedded sandbox by default), run,
// judge against a baseline, write reports.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AssertionClass } from '../registry/types.ts';
import { judge, loadBaseline, type Verdict } from './baseline.ts';
import { plainRequest } from './http.ts';
import { preflight } from './preflight.ts';
import { loadProfile, type Profile, resolveProfile } from './profile.ts';
import { printReport, progress } from './report/console.ts';
import { junitXml } from './report/junit.ts';
import { htmlPage } from './report/page.ts';
import { buildResults, type ResultsDocument } from './report/results.ts';
import { type RunResult, runSuite, selectRules } from './runner.ts';
import { sandboxProfileInput } from './sandbox-profile.ts';
import { UsageError } from './usage.ts';
import { startWebhookSink, type WebhookSink } from './webhook-sink.ts';

export { UsageError } from './usage.ts';

export interface ConformanceOptions {
  baseUrl?: string;
  profileFile?: string;
  /** An already resolved profile (tests); wins over profileFile. */
  profile?: Profile;
  baselineFile?: string;
  filters?: string[];
  /** Where to write junit.xml, results.json and index.html; null writes nothing. */
  reportDir?: string | null;
  concurrency?: number;
  /** The class whose verdict decides ok and the exit status (default contract: the whole spec). */
  decidingClass?: AssertionClass;
  /**
   * Skips the check that the target answers and every credential gets a token (tests that break token issuance on
   * purpose).
   */
  skipPreflight?: boolean;
  /** Console output; null prints nothing. */
  write?: ((s: string) => void) | null;
  env?: NodeJS.ProcessEnv;
  /** Console: one line per rule that did not fail too (by default the summary and the failures only). */
  verbose?: boolean;
}

export interface ConformanceOutcome {
  run: RunResult;
  verdict: Verdict;
  doc: ResultsDocument;
  exitCode: number;
  reportDir?: string;
}

/**
 * `--profile fixtures`: the sandbox's fixture values without its hooks, for a server seeded alike (the Prism mock,
 * say).
 */
export const FIXTURES_PROFILE = 'fixtures';

/** A profile for a running sandbox, derived from its own fixtures endpoint. */
async function profileFromSandboxAt(baseUrl: string, env: NodeJS.ProcessEnv): Promise<Profile> {
  const url = baseUrl.replace(/\/+$/, '');
  let fixtures: unknown;
  try {
    const res = await plainRequest(`${url}/_sandbox/fixtures`, { timeoutMs: 5_000 });
    if (res.status === 200) fixtures = JSON.parse(res.text);
  } catch {
    fixtures = undefined;
  }
  if (!fixtures)
    throw new UsageError(
      `${baseUrl} is not a Starmile sandbox (no /_sandbox/fixtures): give a profile with --profile FILE`,
    );
  return resolveProfile(sandboxProfileInput(url, fixtures as Parameters<typeof sandboxProfileInput>[1]), env);
}

/**
 * The repository's sandbox, which the package does not ship: outside the repository, a run needs --base-url and
 * --profile.
 */
async function embedded(): Promise<typeof import('./embedded-sandbox.ts')> {
  try {
    return await import('./embedded-sandbox.ts');
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new UsageError(
      'the embedded sandbox and --profile fixtures exist only in the Starmile repository: give --base-url URL and --profile FILE (starmile-conformance init writes one)',
    );
  }
}

export async function runConformance(options: ConformanceOptions): Promise<ConformanceOutcome> {
  const env = options.env ?? process.env;
  const write = options.write === undefined ? (s: string) => process.stdout.write(s) : options.write;
  const filters = options.filters ?? [];
  const selected = selectRules(filters);
  const unmatched = filters.filter((f) => !selectRules([f]).length);
  if (unmatched.length) throw new UsageError(`no rule matches the filter ${unmatched.map((f) => `"${f}"`).join(', ')}`);
  const baseline = options.baselineFile ? loadBaseline(options.baselineFile) : undefined;

  let sandbox: { url: string; close(): Promise<void> } | undefined;
  let sink: WebhookSink | undefined;
  try {
    let profile = options.profile;
    if (!profile && options.profileFile === FIXTURES_PROFILE) {
      if (!options.baseUrl) throw new UsageError('--profile fixtures needs --base-url');
      // Without the Starship section too: the Prism mock serves the Starmile spec only, so the Starship rules are "not
      // verified" there.
      const {
        hooks: _none,
        starship: _starship,
        ...input
      } = sandboxProfileInput(options.baseUrl.replace(/\/+$/, ''), (await embedded()).loadFixtures());
      profile = resolveProfile(
        { ...input, name: `${options.baseUrl} (profile from sandbox/fixtures.json, no hooks)` },
        env,
      );
    } else if (!profile && options.profileFile) profile = loadProfile(options.profileFile, env, options.baseUrl);
    else if (!profile && options.baseUrl) profile = await profileFromSandboxAt(options.baseUrl, env);
    else if (!profile) {
      // Its Starship webhooks go to a sink, so they are sent and signed: the signature rules have deliveries to judge.
      sink = await startWebhookSink();
      const started = await (await embedded()).startSandbox({
        port: 0,
        host: '127.0.0.1',
        starshipWebhookUrl: sink.url,
      });
      sandbox = started;
      // The fixtures the sandbox loaded and checked: read once, not again for its profile.
      profile = resolveProfile(sandboxProfileInput(started.url, started.state.fixtures), env);
      profile.name = 'embedded sandbox';
    }
    if (options.concurrency) profile.timing.concurrency = options.concurrency;
    const tokens = options.skipPreflight ? undefined : await preflight(profile);

    write?.(`Conformance: ${selected.length} rules against ${profile.baseUrl} (${profile.name})\n`);
    const tick = write ? progress(selected.length, write) : undefined;
    const run = await runSuite({ profile, filters, ...(tokens ? { tokens } : {}), onResult: (r) => tick?.(r.status) });
    const verdict = judge(run.results, baseline, options.decidingClass ?? 'contract');
    const doc = buildResults(run, verdict, options.baselineFile);
    if (write) printReport(doc, write, options.verbose ?? false);
    let reportDir: string | undefined;
    if (options.reportDir !== null) {
      reportDir = resolve(options.reportDir ?? 'reports/conformance');
      mkdirSync(reportDir, { recursive: true });
      writeFileSync(join(reportDir, 'results.json'), `${JSON.stringify(doc, null, 2)}\n`);
      writeFileSync(join(reportDir, 'junit.xml'), junitXml(doc));
      writeFileSync(join(reportDir, 'index.html'), htmlPage(doc));
      write?.(`Reports: ${join(reportDir, 'index.html')}, results.json, junit.xml\n`);
    }
    return { run, verdict, doc, exitCode: verdict.ok ? 0 : 1, ...(reportDir ? { reportDir } : {}) };
  } finally {
    await sandbox?.close();
    await sink?.close();
  }
}
