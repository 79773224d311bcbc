// HTTP plumbing of the sandbox: replies, the error bodies of the contract, bounded body reading and media types.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorBody } from './types.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

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
    super(typeof body === 'object' && body && 'message' in body ? String((body as ErrorBody).message) : `HTTP ${status}`);
  }
}

export const GENERIC_INVALID = 'The given data was invalid.';

export function errorBody(message: string, errors?: Record<string, string[]>): ErrorBody {
  return errors && Object.keys(errors).length ? { message, errors } : { message };
}

export const fail = (status: number, message: string, errors?: Record<string, string[]>, headers?: Record<string, string>) =>
  new HttpError(status, errorBody(message, errors), headers);

/** 422 naming each field; the message is the first field's own sentence when only one field is at fault. */
export function invalid(errors: Record<string, string[]>, message?: string): HttpError {
  const fields = Object.keys(errors);
  const only = fields.length === 1 ? errors[fields[0]!]?.[0] : undefined;
  return fail(422, message ?? (only && /^[A-Z]/.test(only) ? only : GENERIC_INVALID), errors);
}

const JSON_TYPE = 'application/json; charset=utf-8';

export function send(res: ServerResponse, reply: Reply): void {
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

/**
 * Reads the whole body, refusing more than MAX_BODY_BYTES: a declared Content-Length over the limit
 * is refused before reading a byte, a streamed body as soon as it crosses the limit.
 */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > MAX_BODY_BYTES) return Promise.reject(tooLarge());
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
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
      done = true;
    });
    req.on('error', (error) => {
      if (!done) reject(error);
      done = true;
    });
    // A client that hangs up mid-body never sends 'end': settle, so no handler waits forever.
    req.on('close', () => {
      if (!done && !req.complete) reject(fail(400, 'The body was cut off.', { body: ['The connection closed before the body ended.'] }));
      done = true;
    });
  });
}

function tooLarge(): HttpError {
  // The connection is closed after the reply so the rest of an oversized body is never read.
  return fail(413, 'The body is larger than 1 MiB.', undefined, { Connection: 'close' });
}

/** Parses a JSON body; a body that does not parse is a 400 naming `body`. */
export function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'Unparseable JSON.';
    throw fail(400, 'The body is not valid JSON.', { body: [raw.length ? reason : 'The body is empty.'] });
  }
}

/** A JSON body as the Partner API takes it: 415 unless application/json, 413 over 1 MiB, 400 when it does not parse. */
export async function jsonBody(req: IncomingMessage, optional = false): Promise<unknown> {
  const raw = await readBody(req);
  if (raw.length === 0 && optional) return undefined;
  if (mediaType(req) !== 'application/json') throw unsupportedMedia();
  return parseJson(raw);
}

const unsupportedMedia = () => fail(415, 'Send the body as application/json.');
