// Runs the selected rules against one target: concurrent rules first, serial ones after, each with its cleanups,
// collecting a result per rule.
import { randomBytes } from 'node:crypto';
import { rules } from '../registry/index.ts';
import type { RuleMeta } from '../registry/types.ts';
import { errorMessage, exchangeOf, type Failure, RuleContext, RunState } from './context.ts';
import { Blocked, NotVerified, type RuleDefinition } from './define.ts';
import type { Exchange } from './http.ts';
import type { Profile } from './profile.ts';

export type { Failure } from './context.ts';

/**
 * The rule's outcome over all its assertions (the contract class); the documented verdict is derived from the failures'
 * classes.
 */
export type RuleStatus = 'pass' | 'fail' | 'not verified' | 'blocked';

export interface RuleResult {
  id: string;
  status: RuleStatus;
  durationMs: number;
  requests: number;
  failures: Failure[];
  /** Why the rule was not verified. */
  reason?: string;
  /** The precondition that failed, and the rule whose subject it is. */
  blocked?: { by: string; reason: string; exchange?: Exchange };
  /** Every request of the rule, as "METHOD url -> status". */
  trail: string[];
}

export interface RunResult {
  runId: string;
  target: string;
  profileName: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  requests: number;
  results: RuleResult[];
  /** Shell lines that obtain the tokens the curl reproducers use. */
  tokenRecipes: Record<string, string>;
  /** What the reader should know that is neither a pass nor a failure (a fallback and its cost). */
  warnings: string[];
}

export interface RunOptions {
  profile: Profile;
  filters?: string[];
  runId?: string;
  ruleTimeoutMs?: number;
  /** Tokens the preflight obtained, by client id: the rules use them instead of asking again. */
  tokens?: ReadonlyMap<string, string>;
  onResult?: (result: RuleResult, meta: RuleMeta) => void;
}

const glob = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+?^$()|[\]\\{}]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');

/**
 * Whether a rule matches one filter: `ID` (with * globs), `tag:x`, `op:operationId`, `level:MUST`, `api:name`,
 * `class:documented`.
 */
export function matches(rule: RuleMeta, filter: string): boolean {
  const [kind, value] = filter.includes(':')
    ? [filter.slice(0, filter.indexOf(':')), filter.slice(filter.indexOf(':') + 1)]
    : ['id', filter];
  if (kind === 'tag') return rule.tags.includes(value);
  if (kind === 'op') return rule.operations.includes(value);
  if (kind === 'level') return rule.level === value.toUpperCase();
  if (kind === 'api') return rule.api === value;
  if (kind === 'class') return value === 'contract' || 'seed' in rule.source;
  return glob(value).test(rule.id);
}

/** The rules a set of filters selects (any filter may match); no filter selects all. */
export const selectRules = (filters: string[] = []): RuleDefinition[] =>
  rules.filter((r) => !filters.length || filters.some((f) => matches(r, f)));

export const newRunId = () => `cf${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms)),
  );
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const withExchange = (exchange: Exchange | undefined) => (exchange ? { exchange } : {});

async function runOne(run: RunState, meta: RuleDefinition, timeoutMs: number): Promise<RuleResult> {
  const started = performance.now();
  const t = new RuleContext(run, meta);
  let reason: string | undefined;
  let blocked: RuleResult['blocked'];
  try {
    await withTimeout(meta.check(t), timeoutMs, meta.id);
  } catch (error) {
    if (error instanceof NotVerified) reason = error.message;
    else if (error instanceof Blocked)
      blocked = { by: error.by, reason: error.message, ...withExchange(error.exchange) };
    // An assertion that stops the check is in the rule's own class.
    else
      t.report({
        phase: 'check',
        class: t.class,
        message: errorMessage(error),
        ...withExchange(exchangeOf(error) ?? t.lastExchange),
      });
  }
  // Cleanups undo independent things (cancel this order, that order): side by side, each failure reported in order.
  const undone = await Promise.allSettled(
    t.cleanups.reverse().map((cleanup) => withTimeout(cleanup.fn(), timeoutMs, `cleanup "${cleanup.label}"`)),
  );
  undone.forEach((outcome, i) => {
    if (outcome.status === 'rejected')
      t.report({
        phase: 'cleanup',
        class: t.class,
        message: `${t.cleanups[i]!.label}: ${errorMessage(outcome.reason)}`,
        ...withExchange(exchangeOf(outcome.reason) ?? t.lastExchange),
      });
  });
  const failures = t.failures;
  const status: RuleStatus = failures.length
    ? 'fail'
    : blocked
      ? 'blocked'
      : reason !== undefined
        ? 'not verified'
        : 'pass';
  return {
    id: meta.id,
    status,
    durationMs: performance.now() - started,
    requests: t.requests,
    failures,
    ...(reason !== undefined && status === 'not verified' ? { reason } : {}),
    ...(blocked ? { blocked } : {}),
    trail: t.trail,
  };
}

/** Runs the selected rules; never throws for a rule's failure. */
export async function runSuite(options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const run = new RunState(options.profile, options.runId ?? newRunId(), options.tokens);
  const selected = selectRules(options.filters);
  const timeoutMs = options.ruleTimeoutMs ?? Math.max(60_000, options.profile.timing.feedTimeoutMs * 4);
  const results = new Map<string, RuleResult>();
  const record = (meta: RuleMeta, result: RuleResult) => {
    results.set(meta.id, result);
    options.onResult?.(result, meta);
  };
  const queue = selected.filter((r) => !r.serial);
  const workers = Array.from({ length: Math.min(options.profile.timing.concurrency, queue.length) }, async () => {
    for (let meta = queue.shift(); meta; meta = queue.shift()) record(meta, await runOne(run, meta, timeoutMs));
  });
  await Promise.all(workers);
  for (const meta of selected.filter((r) => r.serial)) record(meta, await runOne(run, meta, timeoutMs));
  run.agents.close();
  return {
    runId: run.runId,
    target: options.profile.baseUrl,
    profileName: options.profile.name,
    startedAt,
    finishedAt: new Date().toISOString(),
    durationMs: performance.now() - started,
    requests: run.requests,
    results: selected.map((m) => results.get(m.id)!),
    tokenRecipes: Object.fromEntries(run.tokenRecipes),
    warnings: [...run.warnings.values()],
  };
}
