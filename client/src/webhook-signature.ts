// Signing and verifying Starship webhook deliveries (the Starship-Signature header, decision SX8) with Web Crypto only,
// so it runs in browsers, Node, Deno and workers alike.
import { toleranceSeconds } from '../../contract/starship-rewards.js';
import type { OrderEvent } from './starship.js';

/** The header that carries the signature, as the Starship spec names it. */
export const SIGNATURE_HEADER = 'Starship-Signature';
/**
 * How far a delivery's timestamp may be from the receiver's clock unless it chooses otherwise: the spec's
 * `x-tolerance-seconds` of the Starship-Signature parameter.
 */
export const DEFAULT_TOLERANCE_SECONDS: number = toleranceSeconds.StarshipSignature;

export type RawBody = string | Uint8Array | ArrayBuffer;

export type WebhookVerification =
  | { ok: true; event: OrderEvent; timestamp: number }
  | {
      ok: false;
      /**
       * `malformed`: no header, or not `t=…,v1=…`, or a body that is not JSON.
       * `forged`: no `v1` matches any of your secrets: not sent by Starship, or altered on the way.
       * `replayed`: a valid signature whose timestamp is outside the tolerance: an old delivery sent again (or a clock far off).
       */
      reason: 'malformed' | 'forged' | 'replayed';
      message: string;
    };

export interface VerifyOptions {
  /** Seconds the timestamp may differ from now, either way (default `DEFAULT_TOLERANCE_SECONDS`, the spec's). */
  toleranceSeconds?: number;
  /** Now, in milliseconds since the epoch (default Date.now()); for tests. */
  now?: number;
}

const encoder = new TextEncoder();

function bytesOf(body: RawBody): Uint8Array {
  if (typeof body === 'string') return encoder.encode(body);
  return body instanceof Uint8Array ? body : new Uint8Array(body);
}

/** `<t>.` followed by the raw body: the bytes every signature covers. */
function signedBytes(timestamp: number, body: RawBody): Uint8Array<ArrayBuffer> {
  const prefix = encoder.encode(`${timestamp}.`);
  const raw = bytesOf(body);
  const out = new Uint8Array(prefix.length + raw.length);
  out.set(prefix);
  out.set(raw, prefix.length);
  return out;
}

const hmacKey = (secret: string, usage: 'sign' | 'verify') =>
  crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);

const toHex = (bytes: ArrayBuffer) =>
  Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

function fromHex(hex: string): Uint8Array<ArrayBuffer> | undefined {
  if (hex.length !== 64 || !/^[0-9a-f]+$/.test(hex)) return undefined;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/**
 * The `Starship-Signature` value for a body sent at `timestamp` (Unix seconds): one `v1` per
 * secret, in the order given (the new secret first while rotating). What Starship (and the
 * sandbox) sends; use it to sign test deliveries for your own receiver.
 */
export async function signWebhook(
  rawBody: RawBody,
  secrets: string | readonly string[],
  timestamp: number,
): Promise<string> {
  const data = signedBytes(timestamp, rawBody);
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  if (!list.length) throw new Error('signWebhook needs at least one secret');
  const signatures = await Promise.all(
    list.map(async (secret) => toHex(await crypto.subtle.sign('HMAC', await hmacKey(secret, 'sign'), data))),
  );
  return [`t=${timestamp}`, ...signatures.map((s) => `v1=${s}`)].join(',');
}

/**
 * The timestamp and the v1 signatures of a header; undefined when it is not `t=<digits>` plus at least one `v1`.
 * Unknown schemes are ignored.
 */
function parseHeader(header: string): { timestamp: number; signatures: Uint8Array<ArrayBuffer>[] } | undefined {
  if (header.length > 1024) return undefined;
  let timestamp: number | undefined;
  const signatures: Uint8Array<ArrayBuffer>[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return undefined;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined || !/^\d{1,12}$/.test(value)) return undefined;
      timestamp = Number(value);
    } else if (key === 'v1') {
      const bytes = fromHex(value);
      if (bytes) signatures.push(bytes);
    }
  }
  return timestamp === undefined || !signatures.length ? undefined : { timestamp, signatures };
}

/**
 * Verifies a Starship webhook before anything trusts it: `rawBody` exactly as received (not
 * re-serialised JSON), the `Starship-Signature` header (as Node or fetch give it), and your secret (or both secrets while you
 * rotate). Accepts when one `v1` matches one secret (compared in constant time by Web Crypto) and
 * the timestamp is within `toleranceSeconds` of now; then parses the body. A replay inside the
 * window still verifies: drop it by its `event_id` (applyWebhook does).
 */
export async function verifyWebhook(
  rawBody: RawBody,
  header: string | readonly string[] | null | undefined,
  secret: string | readonly string[],
  options: VerifyOptions = {},
): Promise<WebhookVerification> {
  // Node gives a repeated header as an array: two signatures headers are as good as none.
  const parsed = typeof header === 'string' ? parseHeader(header) : undefined;
  if (!parsed)
    return {
      ok: false,
      reason: 'malformed',
      message: `${SIGNATURE_HEADER} is missing or is not t=<unix seconds>,v1=<hex HMAC-SHA256>.`,
    };
  const secrets = typeof secret === 'string' ? [secret] : secret;
  const data = signedBytes(parsed.timestamp, rawBody);
  let verified = false;
  for (const s of secrets) {
    const key = await hmacKey(s, 'verify');
    for (const signature of parsed.signatures)
      if (await crypto.subtle.verify('HMAC', key, signature, data)) verified = true;
  }
  if (!verified)
    return {
      ok: false,
      reason: 'forged',
      message: 'No signature matches: the delivery was not signed with your secret, or its body was altered.',
    };
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const age = Math.abs((options.now ?? Date.now()) / 1000 - parsed.timestamp);
  if (age > tolerance)
    return {
      ok: false,
      reason: 'replayed',
      message: `The signature is valid but ${Math.round(age)} s away from now (tolerance ${tolerance} s): an old delivery sent again, or a clock far off.`,
    };
  let event: OrderEvent;
  try {
    event = JSON.parse(
      typeof rawBody === 'string'
        ? rawBody
        : new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytesOf(rawBody))),
    ) as OrderEvent;
  } catch {
    return { ok: false, reason: 'malformed', message: 'The signed body is not JSON.' };
  }
  return { ok: true, event, timestamp: parsed.timestamp };
}
