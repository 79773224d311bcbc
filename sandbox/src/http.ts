// HTTP plumbing of the sandbox: replies, the error bodies of the contract, bounded body reading, strict JSON, media
// types, and answers to what Node's parser refuses.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { fill } from '../../contract/messages.ts';
import { type Error as ErrorBody, messages as say } from '../../contract/starmile-partner.ts';
import { MAX_LISTED_FIELDS } from './bounded.ts';
import { type Excess, parseStrict } from './json.ts';
import { REQUEST_LIMITS } from './limits.ts';

export const MAX_BODY_BYTES = REQUEST_LIMITS.bodyBytes;
/** The body cap as messages word it (`1 MiB`): the sandbox applies it to every API, as the Starship spec states none. */
export const BODY_CAP = MAX_BODY_BYTES % 2 ** 20 === 0 ? `${MAX_BODY_BYTES / 2 ** 20} MiB` : `${MAX_BODY_BYTES} bytes`;
/** The catalogue's message of a body over the cap. */
export const BODY_TOO_LARGE = fill(say.bodyTooLarge, { limit: BODY_CAP });
/**
 * After a 413 the rest of the body is read and dropped, so the client is not reset while it sends; up to this much, for
 * this long.
 */
export const DRAIN_BYTES = 16 * 1024 * 1024;
export const DRAIN_MS = 10_000;

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A rejection carrying the exact reply; thrown before anything is stored, so nothing changes. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(
      typeof body === 'object' && body && 'message' in body ? String((body as ErrorBody).message) : `HTTP ${status}`,
    );
  }
}

/** What `message` adds when more fields are at fault than the error body lists (the spec's Error.errors says so). */
export const MORE_FIELDS = fill(say.moreFields, { count: MAX_LISTED_FIELDS });

/**
 * The contract's error body; `errors` keeps its first MAX_LISTED_FIELDS fields, and `message` says when there were
 * more.
 */
export function errorBody(message: string, errors?: Record<string, string[]>, more = false): ErrorBody {
  const fields = errors ? Object.keys(errors) : [];
  if (!errors || !fields.length) return { message };
  if (!more && fields.length <= MAX_LISTED_FIELDS) return { message, errors };
  const kept: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const field of fields.slice(0, MAX_LISTED_FIELDS)) kept[field] = errors[field]!;
  return { message: `${message} ${MORE_FIELDS}`, errors: kept };
}

export const fail = (
  status: number,
  message: string,
  errors?: Record<string, string[]>,
  headers?: Record<string, string>,
  more = false,
) => new HttpError(status, errorBody(message, errors, more), headers);

/** 422 naming each field; the message is the first field's own sentence when only one field is at fault. */
export function invalid(errors: Record<string, string[]>, message?: string, more = false): HttpError {
  const fields = Object.keys(errors);
  const only = fields.length === 1 && !more ? errors[fields[0]!]?.[0] : undefined;
  return fail(422, message ?? (only && /^[A-Z]/.test(only) ? only : say.invalid), errors, undefined, more);
}

const JSON_TYPE = 'application/json; charset=utf-8';

export function send(res: ServerResponse, reply: Reply): void {
  // The client went away, or Node's parser already answered on this connection (answerClientError).
  if (res.headersSent || !res.socket || res.socket.destroyed || !res.socket.writable) return;
  const payload = reply.body === undefined ? '' : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'Content-Type': JSON_TYPE,
    'Content-Length': Buffer.byteLength(payload),
    ...reply.headers,
  });
  res.end(payload);
}

/** The media type of a request, lower-cased and without parameters ('' when absent). */
export function mediaType(req: IncomingMessage): string {
  const raw = req.headers['content-type'];
  if (!raw) return '';
  const semi = raw.indexOf(';');
  return (semi < 0 ? raw : raw.slice(0, semi)).trim().toLowerCase();
}

const cutOff = () => fail(400, 'The body was cut off.', { body: ['The connection closed before the body ended.'] });

/** Reads and drops the rest of a refused body (bounded), so the client can finish sending and read the answer. */
function discardRest(req: IncomingMessage): void {
  let dropped = 0;
  const stop = () => req.socket.destroy();
  const timer = setTimeout(stop, DRAIN_MS);
  timer.unref();
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DRAIN_BYTES) stop();
  });
  req.once('close', () => clearTimeout(timer));
  req.on('error', () => {});
  req.resume();
}

/**
 * Reads the whole body, refusing more than MAX_BODY_BYTES: a declared Content-Length over the limit
 * is refused before reading a byte, a streamed body as soon as it crosses the limit. Nothing of a
 * refused body is kept.
 */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > MAX_BODY_BYTES) {
    discardRest(req);
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        done = true;
        chunks.length = 0;
        discardRest(req);
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
      done = true;
    });
    // The connection broke mid-body (the client hung up, or Node's parser refused the rest): settle, so no handler
    // waits forever.
    req.on('error', () => {
      if (!done) reject(cutOff());
      done = true;
    });
    req.on('close', () => {
      if (!done && !req.complete) reject(cutOff());
      done = true;
    });
  });
}

const tooLarge = () => fail(413, BODY_TOO_LARGE);

const EXCESS: Record<Excess, string> = {
  depth: `Objects and arrays nest at most ${REQUEST_LIMITS.depth} levels.`,
  members: `An object has at most ${REQUEST_LIMITS.members} members.`,
  containers: `A body holds at most ${REQUEST_LIMITS.containers} objects and arrays in all.`,
};

/**
 * Parses a JSON body strictly (decision X12); a body that does not parse, is not UTF-8, goes past the structural limits
 * or repeats a key is a 400 naming `body`.
 */
export function parseJson(raw: Buffer): unknown {
  const parsed = parseStrict(raw);
  if ('value' in parsed) return parsed.value;
  const { problem } = parsed;
  if (problem === 'not-utf8')
    throw fail(400, 'The body is not valid UTF-8.', {
      body: ['The body must be UTF-8 text; it holds a byte sequence that is not.'],
    });
  if (typeof problem === 'object' && 'excess' in problem)
    throw fail(400, 'The body is larger in structure than any request needs.', { body: [EXCESS[problem.excess]] });
  if (problem === 'duplicate-key')
    throw fail(400, 'The body repeats a key.', {
      body: ['An object of the body has the same key twice; send each key once.'],
    });
  throw fail(400, say.bodyNotJson, { body: [raw.length ? problem.syntax : 'The body is empty.'] });
}

/** A JSON body as the Partner API takes it: 415 unless application/json, 413 over 1 MiB, 400 when it does not parse. */
export async function jsonBody(req: IncomingMessage, optional = false): Promise<unknown> {
  const raw = await readBody(req);
  if (raw.length === 0 && optional) return undefined;
  if (mediaType(req) !== 'application/json') throw unsupportedMedia();
  return parseJson(raw);
}

const unsupportedMedia = () => fail(415, say.bodyNotJsonMedia);

/** Statuses and messages for what Node's HTTP parser refuses before any handler runs. */
function parserRefusal(code: string | undefined): {
  status: number;
  reason: string;
  body: ReturnType<typeof errorBody>;
} {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        reason: 'Request Header Fields Too Large',
        body: errorBody('The request line and headers together are larger than 16 KiB.'),
      };
    case 'HPE_INVALID_EOF_STATE':
      return { status: 400, reason: 'Bad Request', body: cutOff().body as ReturnType<typeof errorBody> };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, reason: 'Request Timeout', body: errorBody('The request did not arrive in time.') };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, reason: 'Content Too Large', body: errorBody('The chunk extensions are too large.') };
    default:
      return {
        status: 400,
        reason: 'Bad Request',
        body: errorBody(`The request is not valid HTTP/1.1 (${code ?? 'unknown error'}).`),
      };
  }
}

/**
 * The server's `clientError` listener: Node's parser refused the request (a lower-case method, raw
 * bytes in the target, headers over 16 KiB, a malformed chunk, a body cut off), so no handler runs.
 * It answers with the contract's JSON error body, unless a reply is already under way on that
 * connection, then closes it.
 */
export function answerClientError(
  error: NodeJS.ErrnoException,
  socket: Duplex,
  replyStarted: (socket: Duplex) => boolean,
): void {
  if (socket.writable && !replyStarted(socket)) {
    const { status, reason, body } = parserRefusal(error.code);
    const payload = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${JSON_TYPE}\r\nContent-Length: ${Buffer.byteLength(payload)}\r\nConnection: close\r\n\r\n${payload}`,
    );
    // A client that never closes its side does not keep the socket.
    setTimeout(() => socket.destroy(), 1_000).unref();
  } else socket.destroy();
}
