// `starmile-conformance` (in this repository `npm run conformance`): checks a Starmile server (the embedded sandbox
// unless --base-url/--profile) rule by rule, with a verdict per class; exits 1 on a MUST failure of the deciding class
// or a stale baseline entry. `starmile-conformance init` writes a starter profile.
import { rules } from '../registry/index.ts';
import { runConformance, UsageError } from './conformance.ts';
import { PreflightError } from './preflight.ts';
import { ProfileError } from './profile.ts';
import { parseOptions } from './usage.ts';

const HELP = `Usage: starmile-conformance --base-url URL --profile FILE [options]
       starmile-conformance init --base-url URL [options]   write a starter profile (init --help)
       starmile-conformance --version
In the Starmile repository: npm run conformance -- [options]; with no --base-url it starts the
embedded sandbox on a free port and runs every rule against it.

Every assertion is in one of two classes, and every report gives both verdicts side by side:
  documented   only what the published documents state (start here if you built your
               server from the documents)
  contract     the whole spec, designed parts included (what the sandbox implements)

  --base-url URL       the server to check (a running sandbox needs no profile)
  --profile FILE       the profile of that server (see conformance/profile.schema.json);
                       "fixtures" derives one from sandbox/fixtures.json without hooks
  --class C            which class decides the exit status: documented or contract (default)
  --baseline FILE      known failures: {"entries": [{"rule": "ID", "reason": "..."}]}
  --filter F           run only matching rules; repeatable: an id (globs: ORD-422-*),
                       tag:<tag>, op:<operationId>, level:<MUST|SHOULD|MAY>,
                       api:<starmile-partner|starship-rewards>, class:documented
  --report-dir DIR     where results.json, junit.xml and index.html go (reports/conformance)
  --no-report          write no report files
  --concurrency N      rules run at once (default 8, or the profile's timing.concurrency)
  --list               list the rules (after filters) and exit
  --verbose            also print one line per rule that did not fail
  --version            the suite's version, and each spec's version and sha256
  -h, --help           this text

Before any rule runs, a preflight checks that the base URL answers and every credential of the
profile gets a token.

Exit status: 0 when every MUST rule of the deciding class passes or is a known failure; 1 on a new
MUST failure in that class, a new failure of any level when a baseline is given, or a stale
baseline entry; 2 on a usage error (bad option, profile or baseline, a baseline entry naming no
rule) or a failed preflight.`;

/** `--version`: the suite and every spec it checks against, with the sha256 its reports name. */
async function printVersion(): Promise<void> {
  const { SUITE_NAME, SUITE_VERSION, specIdentity } = await import('./version.ts');
  const apis = [...new Set(rules.map((r) => r.api))];
  console.log(
    [
      `${SUITE_NAME} ${SUITE_VERSION}`,
      ...apis.map((api) => {
        const s = specIdentity(api);
        return `${s.title} ${s.version} (${api}) sha256 ${s.sha256}`;
      }),
    ].join('\n'),
  );
}

async function main(args: string[]): Promise<number> {
  if (args[0] === 'init') return (await import('./init/cli.ts')).initMain(args.slice(1));
  const values = parseOptions(
    args,
    {
      'base-url': { type: 'string' },
      profile: { type: 'string' },
      baseline: { type: 'string' },
      class: { type: 'string' },
      filter: { type: 'string', multiple: true },
      'report-dir': { type: 'string' },
      'no-report': { type: 'boolean' },
      concurrency: { type: 'string' },
      list: { type: 'boolean' },
      verbose: { type: 'boolean' },
      version: { type: 'boolean' },
    },
    HELP,
  );
  if (!values) return 0;
  if (values.version) {
    await printVersion();
    return 0;
  }
  const filters = values.filter ?? [];
  if (values.list) {
    const { selectRules } = await import('./runner.ts');
    for (const r of filters.length ? selectRules(filters) : rules)
      console.log(
        `${r.id.padEnd(34)} ${r.level.padEnd(6)} ${('seed' in r.source ? 'documented' : 'contract').padEnd(10)} ${r.operations.join(',').padEnd(28)} ${r.title}`,
      );
    return 0;
  }
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 64))
    throw new UsageError('--concurrency takes an integer from 1 to 64');
  const decidingClass = values.class ?? 'contract';
  if (decidingClass !== 'documented' && decidingClass !== 'contract')
    throw new UsageError('--class takes documented or contract');
  const outcome = await runConformance({
    decidingClass,
    ...(values['base-url'] ? { baseUrl: values['base-url'] } : {}),
    ...(values.profile ? { profileFile: values.profile } : {}),
    ...(values.baseline ? { baselineFile: values.baseline } : {}),
    filters,
    reportDir: values['no-report'] ? null : (values['report-dir'] ?? 'reports/conformance'),
    ...(concurrency ? { concurrency } : {}),
    verbose: values.verbose ?? false,
  });
  return outcome.exitCode;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const known =
      error instanceof UsageError ||
      error instanceof ProfileError ||
      (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
    // A failed preflight is about the target, not the options: one line says it all.
    console.error(
      error instanceof PreflightError
        ? `conformance: ${error.message}`
        : known
          ? `conformance: ${(error as Error).message}\n(starmile-conformance --help)`
          : error,
    );
    process.exitCode = 2;
  },
);
