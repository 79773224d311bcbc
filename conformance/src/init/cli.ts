// `starmile-conformance init`: asks for (or reads from flags and the environment) the credentials, writes a starter
// profile and says what came from where and what is left to fill in.
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { envLabel, PROFILE_SCHEMA_FILE, type ServiceIdField } from '../profile.ts';
import { parseOptions, UsageError } from '../usage.ts';
import { initProfile } from './init.ts';

const HELP = `Usage: starmile-conformance init --base-url URL [options]

Writes a starter profile for the server at URL: each credential is exchanged for a token (its scope
says what the credential holds), the services and rates are read to propose the fixture services,
the status pool is probed for the designed limit. What the server cannot tell (region pairs, PUDO
points, operator hooks) is listed under "todo" in the profile; the suite runs once that list is gone.
A server offering the sandbox's operator API (GET /_sandbox/fixtures) tells those too.

  --base-url URL            the server (or STARMILE_BASE_URL)
  --full ID                 client id of a credential holding every scope (or STARMILE_CLIENT_FULL)
  --narrow ID               a credential of the same partner and warehouse holding fewer scopes;
                            repeatable; every scope must be missing from one of them
                            (or STARMILE_CLIENT_NARROW, comma-separated)
  --other-partner ID        a full credential of another partner in the same warehouse
                            (or STARMILE_CLIENT_OTHER_PARTNER)
  --other-warehouse ID      optional: a full credential of the same partner in another warehouse
                            (or STARMILE_CLIENT_OTHER_WAREHOUSE)
  --service-id-carries F    id (default, decision D1) or flow_definition_id: what your server takes
                            as an order's service_id
  --out FILE                where to write the profile (default starmile-profile.json)
  --force                   overwrite FILE
  -h, --help                this text

Each secret is read from STARMILE_SECRET_<CLIENT_ID> (upper case, other characters as _), which the
profile then names, so no secret is written to it; in a terminal, a missing one is asked for.
Without ids and with a terminal, the ids are asked for too.`;

const interactive = () => Boolean(process.stdin.isTTY && process.stdout.isTTY);

/** A line from the terminal; `hidden` echoes nothing (a secret). */
function ask(question: string, hidden = false): Promise<string> {
  process.stdout.write(question);
  return new Promise((done, fail) => {
    const stdin = process.stdin;
    let answer = '';
    stdin.setRawMode(true);
    stdin.resume();
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          stdin.off('data', onData);
          return fail(new UsageError('cancelled'));
        }
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stdout.write('\n');
          return done(answer.trim());
        }
        if (ch === '\u007f' || ch === '\b') {
          if (answer.length && !hidden) process.stdout.write('\b \b');
          answer = answer.slice(0, -1);
        } else {
          answer += ch;
          if (!hidden) process.stdout.write(ch);
        }
      }
    };
    stdin.on('data', onData);
  });
}

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export async function initMain(args: string[]): Promise<number> {
  const values = parseOptions(
    args,
    {
      'base-url': { type: 'string' },
      full: { type: 'string' },
      narrow: { type: 'string', multiple: true },
      'other-partner': { type: 'string' },
      'other-warehouse': { type: 'string' },
      'service-id-carries': { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean' },
    },
    HELP,
  );
  if (!values) return 0;
  const env = process.env;
  const baseUrl = values['base-url'] ?? env.STARMILE_BASE_URL;
  if (!baseUrl || !/^https?:\/\/[^/]/.test(baseUrl))
    throw new UsageError('init needs --base-url http(s)://… (or STARMILE_BASE_URL)');
  const carries = (values['service-id-carries'] ?? 'id') as ServiceIdField;
  if (carries !== 'id' && carries !== 'flow_definition_id')
    throw new UsageError('--service-id-carries takes id or flow_definition_id');
  const out = resolve(values.out ?? 'starmile-profile.json');
  if (existsSync(out) && !values.force)
    throw new UsageError(`${out} exists: give another --out, or --force to overwrite it`);

  const id = async (given: string | undefined, question: string): Promise<string | undefined> =>
    given ?? (interactive() ? (await ask(question)) || undefined : undefined);
  const full = await id(values.full ?? env.STARMILE_CLIENT_FULL, 'Client id of a credential holding every scope: ');
  if (!full)
    throw new UsageError('init needs --full CLIENT_ID (or STARMILE_CLIENT_FULL): a credential holding every scope');
  let narrow = values.narrow?.length ? values.narrow : list(env.STARMILE_CLIENT_NARROW);
  if (!narrow.length && interactive())
    narrow = list(
      await ask('Client ids of narrower credentials of the same partner and warehouse (comma-separated): '),
    );
  if (!narrow.length)
    throw new UsageError(
      'init needs at least one --narrow CLIENT_ID (or STARMILE_CLIENT_NARROW): credentials holding fewer scopes',
    );
  const otherPartner = await id(
    values['other-partner'] ?? env.STARMILE_CLIENT_OTHER_PARTNER,
    "Client id of another partner's credential in the same warehouse (Enter to skip): ",
  );
  const otherWarehouse = await id(
    values['other-warehouse'] ?? env.STARMILE_CLIENT_OTHER_WAREHOUSE,
    "Client id of this partner's credential in another warehouse (Enter to skip): ",
  );

  const asked: string[] = [];
  const secretOf = async (clientId: string): Promise<string> => {
    const name = envLabel(clientId);
    const fromEnv = env[name];
    if (fromEnv) return fromEnv;
    if (!interactive())
      throw new UsageError(`the secret of ${clientId} is not in ${name}: export it (the profile reads it from there)`);
    asked.push(name);
    return ask(`Secret of ${clientId} (not echoed, not written; export ${name} to run): `, true);
  };
  const { profile, found } = await initProfile({
    baseUrl,
    credentials: {
      full,
      narrow,
      ...(otherPartner ? { otherPartner } : {}),
      ...(otherWarehouse ? { otherWarehouse } : {}),
    },
    secretOf,
    serviceIdCarries: carries,
  });
  const written = { $schema: relative(dirname(out), PROFILE_SCHEMA_FILE), ...profile };
  writeFileSync(out, `${JSON.stringify(written, null, 2)}\n`);
  const lines = [
    `Wrote ${relative(process.cwd(), out) || out} for ${profile.baseUrl}; it passes the profile schema.`,
    '',
    'From the server:',
    ...found.map((f) => `  ${f}`),
  ];
  if (profile.todo?.length)
    lines.push(
      '',
      `Still to fill in (the suite runs once "todo" in the profile is empty):`,
      ...profile.todo.map((t) => `  - ${t}`),
    );
  else lines.push('', 'Nothing left to fill in.');
  if (!profile.hooks)
    lines.push(
      '',
      'Hooks: rules that need an operator action (map a region, move a parcel, expire tokens) are "not verified" until the profile names a hook for it (see profile.schema.json, "hooks").',
    );
  lines.push(
    '',
    'The Starship Rewards rules are "not verified" until the profile has a "starship" section (see profile.schema.json).',
  );
  if (asked.length) lines.push('', `Export the secrets you typed before running: ${asked.join(', ')}.`);
  lines.push('', `Next: starmile-conformance --profile ${relative(process.cwd(), out) || out} --class documented`);
  console.log(lines.join('\n'));
  return 0;
}
