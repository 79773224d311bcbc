// What a rule's check works with: the profile, the run id, tokens, recorded HTTP, operator hooks and deferred cleanups.
import type { HookName, OptionalFixture, RuleMeta } from '../registry/types.ts';
import { NotVerified } from './define.ts';
import { Agents, HttpClient, type Exchange, type RequestOptions, type Res } from './http.ts';
import type { Credential, Profile } from './profile.ts';
import { secrets } from './secrets.ts';

export type Who = 'full' | 'otherPartner' | 'otherWarehouse' | Credential;

/** What all rules of one run share. */
export class RunState {
  readonly tokens = new Map<string, Promise<string>>();
  /** Placeholder name -> how to obtain that token in a shell (for curl reproducers). */
  readonly tokenRecipes = new Map<string, string>();
  readonly violations: { rule: string; exchange: Exchange }[] = [];
  requests = 0;
  readonly agents = new Agents();
  /** Per client: the end cursor of its most recent completed feed read, a cheap place to start the next mark. */
  readonly latestCursors = new Map<string, string>();
  /** Work several rules observe, done once per run by the first rule that asks (see `RuleContext.once`). */
  readonly shared = new Map<string, Promise<unknown>>();

  constructor(
    readonly profile: Profile,
    readonly runId: string,
  ) {}
}

export type RequestAs = RequestOptions & { as?: Who; scope?: string; token?: string | null };

export class RuleContext {
  readonly exchanges: Exchange[] = [];
  readonly cleanups: { label: string; fn: () => Promise<void> }[] = [];
  private counter = 0;
  readonly http: HttpClient;

  constructor(
    readonly run: RunState,
    readonly meta: RuleMeta,
  ) {
    // Each API is addressed below its own base URL, so the contract check finds its operations.
    const baseUrl = meta.api === 'starship-rewards' ? (run.profile.starship?.baseUrl ?? run.profile.baseUrl) : run.profile.baseUrl;
    this.http = new HttpClient(baseUrl, meta.api, run.profile.timing.requestTimeoutMs, (e) => {
      this.exchanges.push(e);
      run.requests++;
      if (e.problems.length) run.violations.push({ rule: meta.id, exchange: e });
    }, run.agents);
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
      json: { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secret, ...(scope ? { scope } : {}) },
    });
    const token = (res.body as { access_token?: unknown } | undefined)?.access_token;
    if (res.status !== 200 || typeof token !== 'string')
      throw Object.assign(new Error(`could not get a token for ${c.clientId}${scope ? ` (scope ${scope})` : ''}: ${res.status}`), { exchange: res.exchange });
    const name = `STARMILE_TOKEN_${c.clientId}${scope ? `_${scope}` : ''}`.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
    secrets.add(token, `$${name}`);
    const secret = secrets.placeholderOf(c.secret) ?? '<client secret>';
    const grant = `{"grant_type":"client_credentials","client_id":"${c.clientId}","client_secret":"${secret}"${scope ? `,"scope":"${scope}"` : ''}}`;
    this.run.tokenRecipes.set(
      name,
      `${name}=$(curl -s -X POST '${this.profile.baseUrl}/oauth/token' -H 'Content-Type: application/json' --data-raw "${grant.replace(/"/g, '\\"')}" | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`,
    );
    return token;
  }

  /** Forgets every cached token (after the tokens were expired on purpose). */
  forgetTokens(): void {
    this.run.tokens.clear();
  }

  /** A request authenticated as `as` (default the full credential); `token: null` sends none. */
  async request<T = any>(options: RequestAs): Promise<Res<T>> {
    const { as, scope, token, ...rest } = options;
    const bearer = token === null ? undefined : (token ?? (await this.token(as ?? 'full', scope)));
    return this.http.request<T>({ ...rest, headers: { ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}), ...rest.headers } });
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
    const present = name === 'otherWarehouse' ? f.credentials.otherWarehouse && f.fixtures.services.otherWarehouse : undefined;
    if (!present) throw new NotVerified(`the profile has no ${name} credential and service`);
  }

  /** Calls an operator hook with its placeholders filled; a non-2xx answer fails the rule. */
  async hook(name: HookName, vars: Record<string, string | number>): Promise<Res> {
    this.needHook(name);
    const hook = this.profile.hooks[name]!;
    const all: Record<string, string | number> = { baseUrl: this.profile.baseUrl, ...(this.profile.starship ? { starshipBaseUrl: this.profile.starship.baseUrl } : {}), ...vars };
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

  /** Runs after the check, pass or fail; a failure is reported against this rule. */
  defer(label: string, fn: () => Promise<void>): void {
    this.cleanups.push({ label, fn });
  }
}
