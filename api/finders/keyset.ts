// Keyset paging (no OFFSET): a page ends at a row, and the next page starts right after that row
// in the list's order — a timestamp with the id to break ties — so a page costs one index range
// scan however deep it is, and rows that share a timestamp are neither skipped nor repeated.
// The cursor a client gets back is opaque: base64url of the list's kind and that position.
import { z } from 'zod';
import { badRequest } from '../http-error.js';

/** The lists that page by keyset; a cursor of one list is refused by another. */
export type CursorKind = 'conversations' | 'messages';

/** Where a page ended: the sort timestamp and the id of its last row. */
export interface KeysetPosition {
  at: Date;
  id: string;
}

const payload = z.strictObject({
  k: z.enum(['conversations', 'messages']),
  t: z.iso.datetime(),
  i: z.guid(), // any uuid PostgreSQL stores, not only RFC 9562 ones
});

export function encodeCursor(kind: CursorKind, position: KeysetPosition): string {
  return Buffer.from(JSON.stringify({ k: kind, t: position.at.toISOString(), i: position.id })).toString('base64url');
}

/** The position a cursor names, null without one; 400 `invalid_cursor` for anything this list did not hand out. */
export function decodeCursor(kind: CursorKind, cursor: string | undefined): KeysetPosition | null {
  if (cursor === undefined) return null;
  let decoded: unknown = null;
  try {
    if (/^[A-Za-z0-9_-]+$/.test(cursor)) decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = null;
  }
  const parsed = payload.safeParse(decoded);
  if (!parsed.success || parsed.data.k !== kind) {
    throw badRequest('invalid_cursor', 'The cursor is not one this list handed out: start again without it.');
  }
  return { at: new Date(parsed.data.t), id: parsed.data.i };
}

/**
 * One page out of `limit + 1` rows fetched in the list's order: the extra row only says there is
 * more, and the cursor names the page's last row.
 */
export function pageOf<Row>(kind: CursorKind, rows: readonly Row[], limit: number, positionOf: (row: Row) => KeysetPosition) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, nextCursor: rows.length > limit && last ? encodeCursor(kind, positionOf(last)) : null };
}
