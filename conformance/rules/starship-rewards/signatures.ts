// Signed Starship webhooks (SX8) as the profile's starshipWebhooks hook reports them: every delivery's
// Starship-Signature verifies with the key's webhook secrets (the suite's own check), is recent, and carries one
// signature per secret while one is rotated.
import { isDeepStrictEqual } from 'node:util';
import type { RuleContext } from '../../src/context.ts';
import { Blocked, NotVerified } from '../../src/define.ts';
import { type Fault, SHIP, shipWebhooks } from '../../src/fault-kit.ts';
import type { Exchange } from '../../src/http.ts';
import { noProblems, type Observed, scenarios } from './lib.ts';
import { designed, rule, WEBHOOKS } from './meta.ts';
import {
  matchedSecrets,
  type ParsedSignature,
  parseSignature,
  signatureHeader,
  signBody,
  toleranceSeconds,
  verifySignature,
} from './signature.ts';

const SIGNATURE = '/components/parameters/StarshipSignature';

interface Delivery extends Observed {
  body: string;
  where: string;
}
type Problem = { message: string; exchange: Exchange };

/** The webhook secrets of the profile's key; without them no signature can be verified. */
function secretsOf(t: RuleContext): string[] {
  t.needHook('starshipWebhooks');
  const secrets = t.profile.starship?.webhookSecrets;
  if (!secrets?.length) throw new NotVerified('the profile gives no starship.webhookSecrets to verify signatures with');
  return secrets;
}

/**
 * Every delivery of the run's orders that was sent, with the body and signature the hook reports. None (no webhook
 * target, or a hook that reports no bodies or signatures): not verified, never passed.
 */
async function sentDeliveries(t: RuleContext): Promise<Delivery[]> {
  t.needHook('starshipWebhooks');
  const sent = (await scenarios(t))
    .flatMap((sc) =>
      (sc.webhooks ?? []).map((w, i) => ({ ...w, where: `${sc.name} webhook ${i + 1} (${String(w.payload?.type)})` })),
    )
    .filter(
      (w): w is Delivery =>
        typeof w.body === 'string' && w.signature !== undefined && w.status !== 'not_sent' && w.status !== 'pending',
    );
  if (!sent.length)
    throw new NotVerified(
      "the starshipWebhooks hook reports no delivery of the run's orders that was sent, with its body and signature (is a webhook target set?)",
    );
  return sent;
}

/** The deliveries whose header the suite can read; none: blocked by the rule whose subject the header is. */
function readable(deliveries: Delivery[]): (Delivery & { parsed: ParsedSignature })[] {
  const out = deliveries.flatMap((d) => {
    const parsed = parseSignature(d.signature);
    return parsed ? [{ ...d, parsed }] : [];
  });
  if (!out.length)
    throw new Blocked('SHIP-WEBHOOK-SIGNED', `no delivery carries a ${signatureHeader()} header the suite can read`);
  return out;
}

/** The log as a server with the bug would have sent it: each signed delivery's header replaced (null: none sent). */
const resigned = (header: (entry: { body: string }, t: number) => string | null): Fault =>
  shipWebhooks((entries) =>
    entries.map((e) =>
      typeof e.signature === 'string' ? { ...e, signature: header(e, Number(/^t=(\d+)/.exec(e.signature)?.[1])) } : e,
    ),
  );
const keySecrets = () => SHIP.webhookSecrets as string[];

rule({
  id: 'SHIP-WEBHOOK-SIGNED',
  level: 'MUST',
  operations: WEBHOOKS,
  tags: ['starship', 'webhooks', 'signature'],
  title:
    "Every delivery of the run's orders carries a Starship-Signature with a v1 that verifies (HMAC-SHA256 over `<t>.` and the exact body) with the webhook secrets of the key that placed the order, and that body is the payload.",
  source: designed('Receivers tell Starship deliveries from forgeries by their signature.', SIGNATURE, 'SX8'),
  hooks: ['starshipWebhooks'],
  fault: resigned((e, t) => signBody(e.body, ['whsec_of_another_account_0000'], t)),
  moreFaults: [
    {
      bug: 'signs a re-serialisation of the payload, not the bytes it sends',
      class: 'contract',
      fault: resigned((e, t) => signBody(JSON.stringify(JSON.parse(e.body), null, 2), keySecrets(), t)),
    },
    { bug: 'sends no Starship-Signature header', class: 'contract', fault: resigned(() => null) },
  ],
  check: async (t) => {
    const secrets = secretsOf(t);
    const why = {
      malformed: `no ${signatureHeader()} header, or not t=<unix seconds>,v1=<64 hex digits> as the spec's pattern says`,
      forged: "no v1 verifies with the key's webhook secrets over `<t>.` and the body sent",
    };
    const problems: Problem[] = [];
    for (const d of await sentDeliveries(t)) {
      // Freshness is SHIP-WEBHOOK-SIGNATURE-FRESH's subject.
      const verdict = verifySignature(d.body, d.signature, secrets, { now: d.readAt, toleranceSeconds: Infinity });
      if (!verdict.ok && verdict.reason !== 'replayed')
        problems.push({
          message: `${d.where}: ${why[verdict.reason]} (${JSON.stringify(d.signature)})`,
          exchange: d.exchange,
        });
      let sent: unknown;
      try {
        sent = JSON.parse(d.body);
      } catch {
        sent = undefined;
      }
      if (!isDeepStrictEqual(sent, d.payload))
        problems.push({
          message: `${d.where}: the body sent is not the payload the hook reports`,
          exchange: d.exchange,
        });
    }
    noProblems(problems, 'deliveries whose signature does not verify');
  },
});

rule({
  id: 'SHIP-WEBHOOK-SIGNATURE-FRESH',
  level: 'MUST',
  operations: WEBHOOKS,
  tags: ['starship', 'webhooks', 'signature'],
  title:
    "Each delivery's signature timestamp t lies within the spec's tolerance of its event's occurred_at and of the time the suite read it (a receiver refuses anything older as a replay).",
  source: designed(
    't is when the delivery was sent; receivers refuse one further than the tolerance from their clock.',
    SIGNATURE,
    'SX8',
  ),
  hooks: ['starshipWebhooks'],
  // An unset clock: every delivery signed at the epoch.
  fault: resigned((e) => signBody(e.body, keySecrets(), 0)),
  check: async (t) => {
    const tolerance = toleranceSeconds();
    const problems: Problem[] = [];
    for (const d of readable(await sentDeliveries(t))) {
      const ts = d.parsed.timestamp;
      const away = (seconds: number) => Math.abs(seconds - ts);
      const occurred = Date.parse(String(d.payload?.occurred_at)) / 1000;
      if (!(away(occurred) <= tolerance))
        problems.push({
          message: `${d.where}: t=${ts} is ${Math.round(away(occurred))} s from its occurred_at ${String(d.payload?.occurred_at)} (tolerance ${tolerance} s)`,
          exchange: d.exchange,
        });
      if (!(away(d.readAt / 1000) <= tolerance))
        problems.push({
          message: `${d.where}: t=${ts} is ${Math.round(away(d.readAt / 1000))} s from when the suite read it (tolerance ${tolerance} s)`,
          exchange: d.exchange,
        });
    }
    noProblems(problems, 'signatures a receiver would refuse as replays');
  },
});

rule({
  id: 'SHIP-WEBHOOK-ROTATION',
  level: 'SHOULD',
  operations: WEBHOOKS,
  tags: ['starship', 'webhooks', 'signature'],
  title:
    'While a key has two webhook secrets, each delivery carries one v1 per secret, each verifying with one of them, so receivers holding either secret verify it.',
  source: designed('A secret is rotated without a window in which valid deliveries fail.', SIGNATURE, 'SX8'),
  hooks: ['starshipWebhooks'],
  // Signs with the newest secret only: receivers still holding the older one refuse every delivery.
  fault: resigned((e, t) => signBody(e.body, keySecrets().slice(0, 1), t)),
  check: async (t) => {
    const secrets = secretsOf(t);
    if (secrets.length < 2)
      throw new NotVerified('the profile gives one webhook secret for its key; a rotation needs two');
    const signed = readable(await sentDeliveries(t))
      .map((d) => ({ ...d, matched: matchedSecrets(d.parsed, d.body, secrets) }))
      .filter((d) => d.matched.some((i) => i >= 0));
    if (!signed.length) throw new Blocked('SHIP-WEBHOOK-SIGNED', "no delivery verifies with the key's webhook secrets");
    const every = secrets.map((_, i) => i);
    const problems: Problem[] = signed
      .filter((d) => !isDeepStrictEqual([...d.matched].sort(), every))
      .map((d) => ({
        message: `${d.where}: its ${d.matched.length} v1 verify with ${d.matched.map((i) => (i < 0 ? 'no secret' : `secret ${i + 1}`)).join(', ')}; each of the ${secrets.length} secrets needs one`,
        exchange: d.exchange,
      }));
    noProblems(problems, 'deliveries without a signature for each secret');
  },
});
