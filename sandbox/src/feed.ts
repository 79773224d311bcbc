// The status pool (X4): a credential's entries in order, paged by an opaque cursor signed for its (partner, warehouse).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { loadSpec } from '../../contract/index.ts';
import type { Credential } from '../../contract/sandbox-admin.ts';
import { type ChangeList, messages as say } from '../../contract/starmile-partner.ts';
import type { Ctx } from './context.ts';
import { fail, type Reply } from './http.ts';
import { DEFAULT_PAGE_SIZE } from './limits.ts';
import { type FeedEntry, type SandboxState, tenantKey } from './store.ts';
import { queryValidator } from './validation.ts';

const query = queryValidator('starmile-partner', '/api/v1/partner/changes', 'get');
/** The `since` value that starts at the feed's current end (X10): the one known value the spec gives the parameter. */
const [NOW] = loadSpec('starmile-partner').components.schemas.ChangesSince.anyOf[0].enum as [string];

const mac = (state: SandboxState, seq: number, credential: Credential) =>
  createHmac('sha256', state.cursorSecret)
    .update(`${seq}|${credential.partner_id}|${credential.org_country_id}`)
    .digest()
    .subarray(0, 16);

/** `c1.<sequence in base 36>.<HMAC>`: opaque to partners, unforgeable, and bound to one feed. */
export function encodeCursor(state: SandboxState, seq: number, credential: Credential): string {
  return `c1.${seq.toString(36)}.${mac(state, seq, credential).toString('base64url')}`;
}

/** The sequence a cursor stands for; 422 naming `since` for anything this feed did not issue. */
export function decodeCursor(state: SandboxState, cursor: string, credential: Credential): number {
  const match = /^c1\.([0-9a-z]{1,11})\.([A-Za-z0-9_-]{22})$/.exec(cursor);
  const seq = match ? parseInt(match[1]!, 36) : NaN;
  const given = match ? Buffer.from(match[2]!, 'base64url') : Buffer.alloc(0);
  if (!Number.isSafeInteger(seq) || given.length !== 16 || !timingSafeEqual(given, mac(state, seq, credential)))
    throw fail(422, say.sinceNotValid, { since: [say.cursorUnknown] });
  return seq;
}

/** Index of the first entry whose sequence is above `seq` (entries are in ascending sequence). */
function firstAfter(entries: FeedEntry[], seq: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entries[mid]!.seq <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * GET /api/v1/partner/changes (listChanges). No read grows with the feed's history beyond a binary search: the oldest entry
 * and `now` are the ends of the credential's own list, a cursor is found by bisection, and a page copies at most `limit` entries.
 */
export function listChanges(ctx: Ctx, credential: Credential): Reply {
  const { since, limit } = query(ctx.query) as { since?: string; limit?: number };
  const { state } = ctx;
  const entries = state.feedByTenant.get(tenantKey(credential.partner_id, credential.org_country_id)) ?? [];
  // The feed's own last entry, never the global counter: a cursor must not tell how busy other feeds are.
  if (since === NOW)
    return {
      status: 200,
      body: {
        data: [],
        next_cursor: encodeCursor(state, entries.at(-1)?.seq ?? 0, credential),
        has_more: false,
      } satisfies ChangeList,
    };
  const after = since === undefined ? 0 : decodeCursor(state, since, credential);
  const start = firstAfter(entries, after);
  const page = entries.slice(start, start + (limit ?? DEFAULT_PAGE_SIZE));
  const last = page.length ? page[page.length - 1]!.seq : after;
  const body: ChangeList = {
    data: page.map((e) => e.change),
    next_cursor: encodeCursor(state, last, credential),
    has_more: start + page.length < entries.length,
  };
  return { status: 200, body };
}
