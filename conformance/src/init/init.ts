// `starmile-conformance init`: a starter profile from a live server. It exchanges each credential for a token (whose
// scope says what the credential holds), reads the services and rates, probes the status pool, proposes every fixture
// it can tell, and lists under "todo" what it cannot; the result is checked against the profile schema.
import type { Fixtures } from '../../../contract/sandbox-admin.ts';
import {
  scopes as ALL_SCOPES,
  type OAuthError,
  type Rate,
  type Scope,
  type Service,
  type TokenResponse,
} from '../../../contract/starmile-partner.ts';
import { plainRequest, type RawResponse } from '../http.ts';
import { envLabel, type ProfileInput, profileProblems, type ServiceIdField } from '../profile.ts';
import { sandboxProfileInput } from '../sandbox-profile.ts';
import { UsageError } from '../usage.ts';
import { type Finding, firstRated, fixtureServices, type Seen, tenantOf } from './infer.ts';

export interface InitOptions {
  baseUrl: string;
  /** Client ids by role; each secret comes from `secretOf`. */
  credentials: { full: string; narrow: string[]; otherPartner?: string; otherWarehouse?: string };
  secretOf: (clientId: string) => Promise<string>;
  serviceIdCarries?: ServiceIdField;
}

/** A profile as init writes it: schema-valid, with what it could not tell listed under `todo`. */
export type StarterProfile = ProfileInput & { $schema?: string; todo?: string[] };

export interface InitResult {
  profile: StarterProfile;
  /** One line per value init filled in, saying where it came from. */
  found: string[];
}

const TIMEOUT_MS = 15_000;

/** A request to the server; its JSON body is read as `T` (what the documents give), any field of it may be missing. */
async function call<T = unknown>(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: T | undefined }> {
  let res: RawResponse;
  try {
    res = await plainRequest(url, { ...init, timeoutMs: TIMEOUT_MS });
  } catch (error) {
    throw new UsageError(
      `cannot reach ${new URL(url).origin}: ${(error as { code?: string }).code ?? (error as Error).message}`,
    );
  }
  let body: T | undefined;
  try {
    body = JSON.parse(res.text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body };
}

interface Signed {
  clientId: string;
  token: string;
  /** The scopes the token response names (RFC 6749 §5.1); absent when the server does not say. */
  scopes?: Scope[];
}

async function signIn(baseUrl: string, clientId: string, secret: string, role: string): Promise<Signed> {
  const res = await call<Partial<TokenResponse & OAuthError>>(`${baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }),
  });
  if (res.status !== 200 || typeof res.body?.access_token !== 'string')
    throw new UsageError(
      `the ${role} credential ${clientId} gets no token from ${baseUrl}/oauth/token: ${res.status}${typeof res.body?.error === 'string' ? ` ${res.body.error}` : ''}`,
    );
  const scopes =
    typeof res.body.scope === 'string'
      ? (res.body.scope.split(' ').filter((s: string) => (ALL_SCOPES as readonly string[]).includes(s)) as Scope[])
      : undefined;
  return { clientId, token: res.body.access_token, ...(scopes ? { scopes } : {}) };
}

async function read(baseUrl: string, who: Signed): Promise<Seen> {
  const list = async <T>(path: string) => {
    const res = await call<{ data?: T[] }>(`${baseUrl}${path}`, {
      headers: { Authorization: `Bearer ${who.token}`, Accept: 'application/json' },
    });
    if (res.status !== 200 || !Array.isArray(res.body?.data))
      throw new UsageError(`${who.clientId} cannot read ${path}: ${res.status}`);
    return res.body.data;
  };
  return { services: await list<Service>('/api/v1/services'), rates: await list<Rate>('/api/v1/rates') };
}

export async function initProfile(options: InitOptions): Promise<InitResult> {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const carries = options.serviceIdCarries ?? 'id';
  const c = options.credentials;
  const found: string[] = [];
  const todo: string[] = [];
  const sign = async (clientId: string, role: string) =>
    signIn(baseUrl, clientId, await options.secretOf(clientId), role);
  const full = await sign(c.full, 'full');
  const narrow = await Promise.all(c.narrow.map((id) => sign(id, 'narrow')));
  const otherPartner = c.otherPartner ? await sign(c.otherPartner, 'other partner') : undefined;
  const otherWarehouse = c.otherWarehouse ? await sign(c.otherWarehouse, 'other warehouse') : undefined;

  const [fullSeen, otherSeen, warehouseSeen] = await Promise.all([
    read(baseUrl, full),
    otherPartner && read(baseUrl, otherPartner),
    otherWarehouse && read(baseUrl, otherWarehouse),
  ]);
  const credential = (who: Signed, seen?: Seen) => ({
    clientId: who.clientId,
    clientSecret: { env: envLabel(who.clientId) },
    ...(seen ? tenantOf(seen) : {}),
  });
  const missingScopes = ALL_SCOPES.filter((s) => !full.scopes?.includes(s));
  if (full.scopes && missingScopes.length)
    todo.push(
      `credentials.full: ${full.clientId}'s token holds no ${missingScopes.join(', ')}: give a credential holding every scope`,
    );
  narrow.forEach((n, i) => {
    if (n.scopes)
      found.push(`credentials.narrow.${i} (${n.clientId}): ${n.scopes.join(' ') || 'no scope'}, as its token says`);
    else
      todo.push(
        `credentials.narrow.${i}.scopes: the token response of ${n.clientId} names no scope; list the scopes it holds`,
      );
  });
  const uncovered = ALL_SCOPES.filter((s) => narrow.every((n) => n.scopes?.includes(s) ?? true));
  if (uncovered.length)
    todo.push(
      `credentials.narrow: no narrow credential lacks ${uncovered.join(', ')}; add one that does (the 403 checks need it)`,
    );
  if (!otherPartner)
    todo.push(
      'credentials.otherPartner: give a full-scope credential of another partner account in the same warehouse (--other-partner)',
    );

  const services = fixtureServices(fullSeen, carries);
  const pick = (where: string, finding: Finding<number> | undefined): number => {
    if (finding?.value !== undefined) {
      found.push(`${where}: ${finding.value} (${finding.why})`);
      return finding.value;
    }
    todo.push(`${where}: ${finding?.why ?? 'not told by the server'}; put the value your server takes as service_id`);
    return 1;
  };
  const fixtureServiceValues = Object.fromEntries(
    Object.entries(services).map(([k, f]) => [k, pick(`fixtures.services.${k}`, f)]),
  ) as StarterProfile['fixtures']['services'];
  if (warehouseSeen)
    fixtureServiceValues.otherWarehouse = pick('fixtures.services.otherWarehouse', firstRated(warehouseSeen, carries));
  const otherPartnerHome = pick(
    'fixtures.otherPartner.homeDelivery',
    otherSeen ? firstRated(otherSeen, carries, 'home_delivery') : { why: 'no other partner credential was given' },
  );

  // The designed `limit`: a page of one from the oldest entry costs nothing whatever the history.
  const limited = await call(`${baseUrl}/api/v1/partner/changes?limit=1`, {
    headers: { Authorization: `Bearer ${full.token}`, Accept: 'application/json' },
  });
  const takesLimit = limited.status === 200;
  found.push(`feed.takesLimit: ${takesLimit} (GET /api/v1/partner/changes?limit=1 answered ${limited.status})`);

  // Region pairs, PUDO points and operator actions have no Partner API operation: a server offering this project's
  // sandbox operator API tells them; for any other, they are listed to fill in.
  const sandbox = await call<Fixtures>(`${baseUrl}/_sandbox/fixtures`, { headers: { Accept: 'application/json' } });
  let regions: StarterProfile['fixtures']['regions'];
  let pudoPoints: StarterProfile['fixtures']['pudoPoints'];
  let hooks: StarterProfile['hooks'] | undefined;
  if (sandbox.status === 200 && Array.isArray(sandbox.body?.region_mappings)) {
    const derived = sandboxProfileInput(baseUrl, sandbox.body);
    ({ regions, pudoPoints } = derived.fixtures);
    hooks = derived.hooks;
    found.push(
      'fixtures.regions, fixtures.pudoPoints and hooks: from the sandbox operator API (GET /_sandbox/fixtures)',
    );
  } else {
    regions = {
      mapped: { parentRegion: 'TODO', region: 'TODO' },
      sameLeafTwoParents: [
        { parentRegion: 'TODO', region: 'TODO' },
        { parentRegion: 'TODO-2', region: 'TODO' },
      ],
      unmappedParent: 'TODO',
    };
    pudoPoints = { valid: 1, locker: 1, wrongCountry: 1 };
    todo.push(
      "fixtures.regions.mapped: a parent_region/region pair mapped for the full credential's partner",
      'fixtures.regions.sameLeafTwoParents: two mapped pairs with the same region under different parents',
      'fixtures.regions.unmappedParent: a parent region (the suite pairs it with a new leaf, unmapped on every run)',
      "fixtures.pudoPoints: a PUDO point (valid) and a locker (locker) in the PUDO and locker services' destination countries, and a PUDO point in another country (wrongCountry)",
    );
  }

  const profile: StarterProfile = {
    name: `${baseUrl} (written by starmile-conformance init on ${new Date().toISOString().slice(0, 10)})`,
    baseUrl,
    ...(carries === 'id' ? {} : { serviceIdCarries: carries }),
    credentials: {
      full: credential(full, fullSeen),
      narrow: narrow.map((n) => ({ ...credential(n), scopes: n.scopes ?? [] })),
      otherPartner: otherPartner
        ? credential(otherPartner, otherSeen)
        : { clientId: 'TODO', clientSecret: { env: 'STARMILE_SECRET_OTHER_PARTNER' } },
      ...(otherWarehouse ? { otherWarehouse: credential(otherWarehouse, warehouseSeen) } : {}),
    },
    fixtures: { services: fixtureServiceValues, regions, pudoPoints, otherPartner: { homeDelivery: otherPartnerHome } },
    feed: { takesLimit },
    ...(hooks ? { hooks } : {}),
    ...(todo.length ? { todo } : {}),
  };
  const problems = profileProblems(profile);
  if (problems.length)
    throw new Error(`init wrote a profile its own schema refuses (a bug of init):\n  ${problems.join('\n  ')}`);
  return { profile, found };
}
