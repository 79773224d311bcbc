// Reads a profile file, validates it against profile.schema.json with clear errors, and resolves secrets from the
// environment.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileSchema, toFieldErrors, validatorMessages } from '../../contract/index.ts';
import { type Scope, scopes } from '../../contract/starmile-partner.ts';
import type { HookName } from '../registry/types.ts';
import { secrets } from './secrets.ts';

type SecretInput = string | { env: string };
interface CredentialInput {
  clientId: string;
  clientSecret: SecretInput;
  partnerId?: number;
  warehouseId?: number;
}
interface HookInput {
  method: string;
  url: string;
  headers?: Record<string, SecretInput>;
  body?: unknown;
}
interface RegionPair {
  parentRegion: string;
  region: string;
}

/** Which id an order's service_id carries on the server: the Service's own id (D1) or its flow_definition_id. */
export type ServiceIdField = 'id' | 'flow_definition_id';

/**
 * The Starship Rewards part of a profile: where its API is, a key, the products that drive each path, the key's bulk
 * cap.
 */
export interface StarshipInput {
  baseUrl: string;
  apiKey: SecretInput;
  products: { instant: string; pending: string; partial: { sku: string; quantity: number } };
  bulkCap: number;
  /**
   * The webhook secrets of `apiKey`, newest first (two while one is rotated): the signature rules verify with them
   * (SX8).
   */
  webhookSecrets?: SecretInput[];
}

/** The profile as written (after schema validation). */
export interface ProfileInput {
  name?: string;
  baseUrl: string;
  serviceIdCarries?: ServiceIdField;
  credentials: {
    full: CredentialInput;
    narrow: (CredentialInput & { scopes: Scope[] })[];
    otherPartner: CredentialInput;
    otherWarehouse?: CredentialInput;
  };
  fixtures: {
    services: {
      homeDelivery: number;
      pudo: number;
      locker: number;
      clearance: number;
      crossDocking: number;
      withConsolidation: number;
      withoutConsolidation: number;
      unrated: number;
      otherWarehouse?: number;
    };
    regions: { mapped: RegionPair; sameLeafTwoParents: RegionPair[]; unmappedParent: string; starmileRegion?: string };
    pudoPoints: { valid: number; locker: number; wrongCountry: number; unknown?: number };
    otherPartner: { homeDelivery: number };
  };
  starship?: StarshipInput;
  /** How the server reads the status pool: takesLimit says it accepts the designed `limit` parameter. */
  feed?: { takesLimit?: boolean };
  /** The server's names for the contract's parcel statuses, for the advanceParcel hook. */
  parcelStatuses?: Record<string, string>;
  hooks?: Partial<Record<HookName, HookInput>>;
  timing?: { requestTimeoutMs?: number; feedTimeoutMs?: number; concurrency?: number };
  /** What init could not learn from the server; the suite does not run while it lists anything. */
  todo?: string[];
}

export interface Credential {
  clientId: string;
  secret: string;
  partnerId?: number;
  warehouseId?: number;
  scopes?: Scope[];
}
export interface Hook {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

/** A profile ready to run: secrets resolved (and registered for masking), defaults applied. */
export interface Profile {
  name: string;
  baseUrl: string;
  serviceIdCarries: ServiceIdField;
  credentials: { full: Credential; narrow: Credential[]; otherPartner: Credential; otherWarehouse?: Credential };
  fixtures: ProfileInput['fixtures'] & { pudoPoints: { unknown: number } };
  /** Absent: the server serves no Starship API the suite knows of, and every Starship rule is "not verified". */
  starship?: Omit<StarshipInput, 'apiKey' | 'webhookSecrets'> & { apiKey: string; webhookSecrets?: string[] };
  hooks: Partial<Record<HookName, Hook>>;
  feed: { takesLimit: boolean };
  parcelStatuses: Record<string, string>;
  timing: { requestTimeoutMs: number; feedTimeoutMs: number; concurrency: number };
}

export class ProfileError extends Error {}

/** The profile's JSON Schema (shipped with the package at its root). */
export const PROFILE_SCHEMA_FILE = fileURLToPath(new URL('../profile.schema.json', import.meta.url));
let validate: ReturnType<typeof compileSchema> | undefined;

/** Schema messages in the profile's terms. */
function friendly(path: string, messages: string[]): string {
  if (messages.some((m) => m.includes('oneOf')))
    return 'must be a string, or {"env": "VARIABLE_NAME"} to read it from the environment';
  if (path === 'baseUrl') return 'must be an http:// or https:// URL without a trailing slash';
  return messages.map((m) => (m === validatorMessages.notAField ? 'is not a profile field' : m)).join('; ');
}

/** Every problem of a profile, one line each, naming the path (e.g. `credentials.full.clientSecret`). */
export function profileProblems(input: unknown): string[] {
  validate ??= compileSchema(JSON.parse(readFileSync(PROFILE_SCHEMA_FILE, 'utf8')) as object);
  if (validate(input)) return [];
  // oneOf reports every branch; the fields named by the deepest errors are the useful ones.
  const fields = toFieldErrors(validate.errors);
  return Object.entries(fields)
    .filter(([path]) => !/\.env$/.test(path) || !fields[path.slice(0, -4)])
    .map(([path, messages]) => `${path === 'body' ? '(profile)' : path}: ${friendly(path, messages)}`);
}

/** Unset variables found while resolving, reported all at once. */
let missing: string[] = [];

function resolveSecret(input: SecretInput, where: string, env: NodeJS.ProcessEnv, label: string): string {
  if (typeof input === 'string') return secrets.add(input, `$${label}`);
  const value = env[input.env];
  if (value === undefined || value === '') {
    missing.push(`${where}: environment variable ${input.env} is not set`);
    return '';
  }
  return secrets.add(value, `$${input.env}`);
}

/**
 * The environment variable a credential's secret is masked as, and read from when a profile written by init names it.
 */
export const envLabel = (clientId: string) => `STARMILE_SECRET_${clientId.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;

function credential(input: CredentialInput, where: string, env: NodeJS.ProcessEnv): Credential {
  const out: Credential = {
    clientId: input.clientId,
    secret: resolveSecret(input.clientSecret, `${where}.clientSecret`, env, envLabel(input.clientId)),
  };
  if (input.partnerId !== undefined) out.partnerId = input.partnerId;
  if (input.warehouseId !== undefined) out.warehouseId = input.warehouseId;
  return out;
}

function starship(input: StarshipInput, env: NodeJS.ProcessEnv): NonNullable<Profile['starship']> {
  const { apiKey, webhookSecrets, ...rest } = input;
  return {
    ...rest,
    baseUrl: input.baseUrl.replace(/\/+$/, ''),
    apiKey: resolveSecret(apiKey, 'starship.apiKey', env, 'STARSHIP_API_KEY'),
    ...(webhookSecrets
      ? {
          webhookSecrets: webhookSecrets.map((s, i) =>
            resolveSecret(s, `starship.webhookSecrets.${i}`, env, `STARSHIP_WEBHOOK_SECRET_${i + 1}`),
          ),
        }
      : {}),
  };
}

/** Validates and resolves a parsed profile; throws ProfileError listing every problem. */
export function resolveProfile(
  input: unknown,
  env: NodeJS.ProcessEnv = process.env,
  baseUrlOverride?: string,
): Profile {
  const problems = profileProblems(input);
  if (problems.length) throw new ProfileError(`The profile is not valid:\n  ${problems.join('\n  ')}`);
  const p = input as ProfileInput;
  if (p.todo?.length)
    throw new ProfileError(
      `The profile still lists what init could not learn from the server:\n  - ${p.todo.join('\n  - ')}\nFill each value in, then remove its line from "todo".`,
    );
  const c = p.credentials;
  missing = [];
  const hooks: Profile['hooks'] = {};
  for (const [name, hook] of Object.entries(p.hooks ?? {}) as [HookName, HookInput][]) {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(hook.headers ?? {}))
      headers[k] = resolveSecret(
        v,
        `hooks.${name}.headers.${k}`,
        env,
        `STARMILE_HOOK_${k.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`,
      );
    hooks[name] = {
      method: hook.method,
      url: hook.url,
      headers,
      ...(hook.body === undefined ? {} : { body: hook.body }),
    };
  }
  const resolved: Profile = {
    name: p.name ?? baseUrlOverride ?? p.baseUrl,
    baseUrl: (baseUrlOverride ?? p.baseUrl).replace(/\/+$/, ''),
    serviceIdCarries: p.serviceIdCarries ?? 'id',
    credentials: {
      full: credential(c.full, 'credentials.full', env),
      narrow: c.narrow.map((n, i) => ({ ...credential(n, `credentials.narrow.${i}`, env), scopes: n.scopes })),
      otherPartner: credential(c.otherPartner, 'credentials.otherPartner', env),
      ...(c.otherWarehouse ? { otherWarehouse: credential(c.otherWarehouse, 'credentials.otherWarehouse', env) } : {}),
    },
    fixtures: {
      ...p.fixtures,
      pudoPoints: { ...p.fixtures.pudoPoints, unknown: p.fixtures.pudoPoints.unknown ?? 999_999_999 },
    },
    ...(p.starship ? { starship: starship(p.starship, env) } : {}),
    hooks,
    feed: { takesLimit: p.feed?.takesLimit ?? false },
    parcelStatuses: p.parcelStatuses ?? {},
    timing: { requestTimeoutMs: 15_000, feedTimeoutMs: 5_000, concurrency: 8, ...p.timing },
  };
  if (missing.length) throw new ProfileError(`The profile is not usable:\n  ${missing.join('\n  ')}`);
  for (const scope of scopes)
    if (!resolved.credentials.narrow.some((n) => !n.scopes?.includes(scope)))
      throw new ProfileError(
        `The profile is not valid:\n  credentials.narrow: no credential lacks ${scope}, so its 403 cannot be checked`,
      );
  return resolved;
}

/** Reads, parses and resolves a profile file. */
export function loadProfile(file: string, env: NodeJS.ProcessEnv = process.env, baseUrlOverride?: string): Profile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ProfileError(`Cannot read the profile ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ProfileError(`The profile ${file} is not valid JSON: ${(error as Error).message}`);
  }
  return resolveProfile(parsed, env, baseUrlOverride);
}
