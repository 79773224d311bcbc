// What a rule's check works with: the profile, the run id, tokens, recorded HTTP, operator hooks and deferred cleanups.
import type { AssertionClass, HookName, OptionalFixture, RuleMeta, RuleSource } from '../registry/types.ts';
import { Blocked, NotVerified } from './define.ts';
import { Agents, type Exchange, HttpClient, type RequestOptions, type Res } from './http.ts';
import type { Credential, Profile } from './profile.ts';
import { secrets } from './secrets.ts';
import { ShapeLog } from './shape-log.ts';
import { inWords } from './words.ts';

export type Who = 'full' | 'otherPartner' | 'otherWarehouse' | Credential;

/** A designed part of the contract an assertion rests on. */
export type DesignedPart = Extract<RuleSource, { designed: string }>;

/** One failed assertion of a rule, in the class of that assertion. */
export interface Failure {
  phase: 'check' | 'cleanup';
  class: AssertionClass;
  message: string;
  /** The exchange the failure is about (or the rule's last one). */
  exchange?: Exchange;
  /** The designed part a contract-class failure rests on (absent: the rule's own source). */
  source?: RuleSource;
}

/** The class a rule's own assertions are in: documented when its source quotes the documents. */
export const classOf = (meta: Pick<RuleMeta, 'source'>): AssertionClass =>
  'seed' in meta.source ? 'documented' : 'contract';

/** A failure's message: an assertion in words (expected …, got …), any other error as it said. */
export const errorMessage = (error: unknown) => inWords(error);
export const exchangeOf = (error: unknown): Exchange | undefined =>
  error && typeof error === 'object' && 'exchange' in error ? (error as { exchange: Exchange }).exchange : undefined;

/** What all rules of one run share. */
export class RunState {
  readonly tokens = new Map<string, Promise<string>>();
  /** Placeholder name -> how to obtain that token in a shell (for curl reproducers). */
  readonly tokenRecipes = new Map<string, string>();
  /** Every response that broke the contract, judged by the shape rules rather than by the rule that met it. */
  readonly shapes = new ShapeLog();
  requests = 0;
  readonly agents = new Agents();
  /** Per client: the end cursor of its most recent completed feed read, a cheap place to start the next mark. */
  readonly latestCursors = new Map<string, string>();
  /**
   * What the run wants its reader to know that is neither a pass nor a failure (a fallback and its cost), keyed so each
   * is said once.
   */
  readonly warnings = new Map<string, string>();
  /** Work several rules observe, done once per run by the first rule that asks (see `RuleContext.once`). */
  readonly shared = new Map<string, Promise<unknown>>();

  constructor(
    readonly profile: Profile,
    readonly runId: string,
    /** Tokens already obtained (by the preflight), one per credential: a run does not ask for them again. */
    issued: ReadonlyMap<string, string> = new Map(),
  ) {
    const all = [
      profile.credentials.full,
      ...profile.credentials.narrow,
      profile.credentials.otherPartner,
      ...(profile.credentials.otherWarehouse ? [profile.credentials.otherWarehouse] : []),
    ];
    for (const c of all) {
      const token = issued.get(c.clientId);
      if (token) this.tokens.set(`${c.clientId} `, Promise.resolve(this.registerToken(c, token)));
    }
  }

  /** Masks a token wherever it would be printed and notes how a shell obtains it (for curl reproducers). */
  registerToken(c: Credential, token: string, scope?: string): string {
    const name = `STARMILE_TOKEN_${c.clientId}${scope ? `_${scope}` : ''}`.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
    secrets.add(token, `$${name}`);
    const secret = secrets.placeholderOf(c.secret) ?? '<client secret>';
    const grant = `{"grant_type":"client_credentials","client_id":"${c.clientId}","client_secret":"${secret}"${scope ? `,"scope":"${scope}"` : ''}}`;
    this.tokenRecipes.set(
      name,
      `${name}=$(curl -s -X POST '${this.profile.baseUrl}/oauth/token' -H 'Content-Type: application/json' --data-raw "${grant.replace(/"/g, '\\"')}" | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`,
    );
    return token;
  }
}

export type RequestAs = RequestOptions & { as?: Who; scope?: string; token?: string | null };

/** Trail lines kept per rule: a walk over a long feed must not grow a report (or memory) with its history. */
const MAX_TRAIL = 200;

export class RuleContext {
  /**
   * The rule's most recent exchange (a failure with no exchange of its own points at it); earlier ones are not kept.
   */
  lastExchange: Exchange | undefined;
  requests = 0;
  /** The rule's requests as "METHOD url -> status", the first MAX_TRAIL of them. */
  readonly trail: string[] = [];
  readonly cleanups: { label: string; fn: () => Promise<void> }[] = [];
  /** Failures recorded without stopping the check (designed assertions, shape findings). */
  readonly failures: Failure[] = [];
  private counter = 0;
  readonly http: HttpClient;

  constructor(
    readonly run: RunState,
    readonly meta: RuleMeta,
  ) {
    // Each API is addressed below its own base URL, so the contract check finds its operations.
    const baseUrl =
      meta.api === 'starship-rewards' ? (run.profile.starship?.baseUrl ?? run.profile.baseUrl) : run.profile.baseUrl;
    this.http = new HttpClient(
      baseUrl,
      meta.api,
      run.profile.timing.requestTimeoutMs,
      (e) => {
        this.lastExchange = e;
        if (++this.requests <= MAX_TRAIL)
          this.trail.push(`${e.hook ? `[hook ${e.hook}] ` : ''}${e.method} ${e.url} -> ${e.status}`);
        else if (this.requests === MAX_TRAIL + 1) this.trail.push('… (later requests not listed)');
        run.requests++;
        run.shapes.record(meta.api, e, meta.id);
      },
      run.agents,
    );
  }

  /** The class of this rule's own assertions (a designed assertion inside it is in the contract class). */
  get class(): AssertionClass {
    return classOf(this.meta);
  }

  /** Records a failure without stopping the check. */
  report(failure: Failure): void {
    this.failures.push(failure);
  }

  /**
   * Runs assertions about a designed part inside a rule: a failure is recorded in the contract class with that part as
   * its source, and the check goes on, so a rule resting on the documents never fails for a designed reason.
   */
  designed(part: DesignedPart, assertions: () => void): void;
  designed(part: DesignedPart, assertions: () => Promise<void>): Promise<void>;
  designed(part: DesignedPart, assertions: () => void | Promise<void>): void | Promise<void> {
    const record = (error: unknown) => {
      if (error instanceof NotVerified || error instanceof Blocked) throw error;
      const exchange = exchangeOf(error) ?? this.lastExchange;
      this.failures.push({
        phase: 'check',
        class: 'contract',
        message: errorMessage(error),
        source: part,
        ...(exchange ? { exchange } : {}),
      });
    };
    try {
      const result = assertions();
      if (result instanceof Promise) return result.catch(record);
    } catch (error) {
      record(error);
    }
  }

  get profile(): Profile {
    return this.run.profile;
  }

  get fixtures(): Profile['fixtures'] {
    return this.run.profile.fixtures;
  }

  /** A reference unique to this run and rule: every order, item and sticker the suite creates carries the run id. */
  ref(kind = 'r'): string {
    return `${this.run.runId}-${this.meta.id}-${kind}${++this.counter}`;
  }

  credential(who: Who): Credential {
    if (typeof who !== 'string') return who;
    const c = this.profile.credentials[who];
    if (!c) throw new NotVerified(`the profile has no credentials.${who}`);
    return c;
  }

  /** A bearer token for a credential (optionally narrowed to `scope`), fetched once per run. */
  token(who: Who = 'full', scope?: string): Promise<string> {
    const c = this.credential(who);
    const key = `${c.clientId} ${scope ?? ''}`;
    let token = this.run.tokens.get(key);
    if (!token) {
      token = this.fetchToken(c, scope);
      token.catch(() => this.run.tokens.delete(key));
      this.run.tokens.set(key, token);
    }
    return token;
  }

  private async fetchToken(c: Credential, scope?: string): Promise<string> {
    const res = await this.http.request({
      path: '/oauth/token',
      json: {
        grant_type: 'client_credentials',
        client_id: c.clientId,
        client_secret: c.secret,
        ...(scope ? { scope } : {}),
      },
    });
    const token = (res.body as { access_token?: unknown } | undefined)?.access_token;
    if (res.status !== 200 || typeof token !== 'string')
      throw new Blocked(
        scope ? 'TOKEN-SCOPE-NARROWING' : 'TOKEN-ISSUE',
        `could not get a token for ${c.clientId}${scope ? ` (scope ${scope})` : ''}: ${res.status}`,
        res.exchange,
      );
    return this.run.registerToken(c, token, scope);
  }

  /** Forgets every cached token (after the tokens were expired on purpose). */
  forgetTokens(): void {
    this.run.tokens.clear();
  }

  /** A request authenticated as `as` (default the full credential); `token: null` sends none. */
  async request<T = unknown>(options: RequestAs): Promise<Res<T>> {
    const { as, scope, token, ...rest } = options;
    const bearer = token === null ? undefined : (token ?? (await this.token(as ?? 'full', scope)));
    return this.http.request<T>({
      ...rest,
      headers: { ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}), ...rest.headers },
    });
  }

  needHook(name: HookName): void {
    if (!this.profile.hooks[name]) throw new NotVerified(`the profile has no "${name}" hook`);
  }

  needFixture(name: OptionalFixture): void {
    const f = this.profile;
    if (name === 'starship') {
      if (!f.starship) throw new NotVerified('the profile has no starship section');
      return;
    }
    const present =
      name === 'otherWarehouse' ? f.credentials.otherWarehouse && f.fixtures.services.otherWarehouse : undefined;
    if (!present) throw new NotVerified(`the profile has no ${name} credential and service`);
  }

  /**
   * Calls an operator hook with its placeholders filled; a non-2xx answer fails the rule. Besides `vars`: the base URLs,
   * the credential's clientId, partnerId and warehouseId (`vars.clientId`, else the full credential's), the Starmile
   * region of the profile, and for a `status` the server's own name of it (`contractStatus` keeps the contract's).
   */
  async hook(name: HookName, vars: Record<string, string | number>): Promise<Res> {
    this.needHook(name);
    const hook = this.profile.hooks[name]!;
    const c = this.profile.credentials;
    const who =
      [c.full, ...c.narrow, c.otherPartner, ...(c.otherWarehouse ? [c.otherWarehouse] : [])].find(
        (x) => x.clientId === (vars.clientId ?? c.full.clientId),
      ) ?? c.full;
    const status =
      typeof vars.status === 'string'
        ? { status: this.profile.parcelStatuses[vars.status] ?? vars.status, contractStatus: vars.status }
        : {};
    const all: Record<string, string | number> = {
      baseUrl: this.profile.baseUrl,
      ...(this.profile.starship ? { starshipBaseUrl: this.profile.starship.baseUrl } : {}),
      clientId: who.clientId,
      ...(who.partnerId !== undefined ? { partnerId: who.partnerId } : {}),
      ...(who.warehouseId !== undefined ? { warehouseId: who.warehouseId } : {}),
      ...(this.fixtures.regions.starmileRegion ? { starmileRegion: this.fixtures.regions.starmileRegion } : {}),
      ...vars,
      ...status,
    };
    const fill = (s: string) => s.replace(/\{(\w+)\}/g, (m, k: string) => (k in all ? String(all[k]) : m));
    const fillJson = (v: unknown): unknown => {
      if (typeof v === 'string') return /^\{(\w+)\}$/.test(v) && v.slice(1, -1) in all ? all[v.slice(1, -1)] : fill(v);
      if (Array.isArray(v)) return v.map(fillJson);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fillJson(x)]));
      return v;
    };
    const res = await this.http.request({
      method: hook.method,
      path: fill(hook.url),
      headers: hook.headers,
      ...(hook.body === undefined ? {} : { json: fillJson(hook.body) }),
      hook: name,
    });
    if (res.status < 200 || res.status > 299)
      throw Object.assign(new Error(`the "${name}" hook answered ${res.status}`), { exchange: res.exchange });
    return res;
  }

  /**
   * Runs `work` once per run under `key`, in the context of the first rule that asks; every rule asking gets the same
   * result or the same error (its exchange included), so several rules can judge one expensive scenario.
   */
  once<T>(key: string, work: () => Promise<T>): Promise<T> {
    let shared = this.run.shared.get(key) as Promise<T> | undefined;
    if (!shared) {
      shared = work();
      this.run.shared.set(key, shared);
    }
    return shared;
  }

  /**
   * Says something to the run's reader (a fallback and what it costs), neither a pass nor a failure; a later message
   * under the same key replaces it.
   */
  warn(key: string, message: string): void {
    this.run.warnings.set(key, message);
  }

  /** Runs after the check, pass or fail; a failure is reported against this rule. */
  defer(label: string, fn: () => Promise<void>): void {
    this.cleanups.push({ label, fn });
  }
}
