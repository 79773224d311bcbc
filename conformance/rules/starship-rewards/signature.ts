// The suite's own reading of the Starship-Signature header (SX8), written apart from the client's verifyWebhook, which
// the sandbox signs with (C25): the header's shape and the tolerance from the spec, HMAC-SHA256 with node:crypto,
// compared in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { loadSpec } from '../../../contract/index.ts';
import { toleranceSeconds as tolerances } from '../../../contract/starship-rewards.ts';

interface SignatureParameter {
  name: string;
  description: string;
  schema: { pattern: string };
}
const parameter = () => loadSpec('starship-rewards').components.parameters.StarshipSignature as SignatureParameter;

/** The header's name, as the spec's webhooks name it. */
export const signatureHeader = (): string => parameter().name;

/** The tolerance the spec gives receivers, in seconds: the `x-tolerance-seconds` of the Starship-Signature parameter. */
export const toleranceSeconds = (): number => tolerances.StarshipSignature;

export interface ParsedSignature {
  timestamp: number;
  /** The `v1` values: lower-case hex of a 32-byte HMAC-SHA256. */
  v1: string[];
}

/**
 * The timestamp and `v1` values of a header; undefined when it breaks the spec's pattern or carries no `v1` of 64 hex
 * digits (another scheme, or another length, is ignored as a receiver ignores schemes it does not know).
 */
export function parseSignature(header: unknown): ParsedSignature | undefined {
  if (typeof header !== 'string' || !new RegExp(parameter().schema.pattern).test(header)) return undefined;
  const [t, ...schemes] = header.split(',');
  const v1 = schemes.filter((s) => /^v1=[0-9a-f]{64}$/.test(s)).map((s) => s.slice(3));
  return v1.length ? { timestamp: Number(t!.slice(2)), v1 } : undefined;
}

const mac = (secret: string, timestamp: number, body: string) =>
  createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${timestamp}.${body}`, 'utf8').digest();

/** For each `v1` of the header, the index of the secret it verifies with, or -1. */
export function matchedSecrets(parsed: ParsedSignature, body: string, secrets: readonly string[]): number[] {
  return parsed.v1.map((hex) =>
    secrets.findIndex((secret) => timingSafeEqual(Buffer.from(hex, 'hex'), mac(secret, parsed.timestamp, body))),
  );
}

export type SignatureVerdict =
  | { ok: true; timestamp: number }
  | { ok: false; reason: 'malformed' | 'forged' | 'replayed' };

/**
 * What a careful receiver concludes about a delivery: malformed (no readable header, or a signed body that is not
 * JSON), forged (no `v1` verifies with any secret), replayed (signed, but `t` further than the tolerance from `now`).
 */
export function verifySignature(
  body: string,
  header: unknown,
  secrets: readonly string[],
  options: { now: number; toleranceSeconds: number },
): SignatureVerdict {
  const parsed = parseSignature(header);
  if (!parsed) return { ok: false, reason: 'malformed' };
  if (!matchedSecrets(parsed, body, secrets).some((i) => i >= 0)) return { ok: false, reason: 'forged' };
  if (Math.abs(options.now / 1000 - parsed.timestamp) > options.toleranceSeconds)
    return { ok: false, reason: 'replayed' };
  try {
    JSON.parse(body);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  return { ok: true, timestamp: parsed.timestamp };
}

/** A header as Starship writes it, one `v1` per secret: for the rules' faults, which forge deliveries. */
export const signBody = (body: string, secrets: readonly string[], timestamp: number): string =>
  [`t=${timestamp}`, ...secrets.map((s) => `v1=${mac(s, timestamp, body).toString('hex')}`)].join(',');
