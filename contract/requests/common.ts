// Request pieces every area shares: a record's id in the path, an action that takes no body, the
// text of a chat message.
import { z } from 'zod';

/** `/…/:id` where the id is a record's UUID. */
export const idParams = z.object({ id: z.uuid() });

/** An action whose body must be empty (`{}` or none). */
export const emptyBody = z.strictObject({});

/** A chat message as a customer or an agent writes it: trimmed, 1-10,000 characters. */
export const messageText = z.string().trim().min(1, 'A message cannot be empty').max(10_000);

/** Rows one page of a keyset-paged list holds at most (GET /api/conversations, …/messages). */
export const maxPageSize = 200;

/**
 * The paging of a keyset-paged list: `cursor` is the `nextCursor` of the page before (opaque; a
 * cursor the list did not hand out is refused with 400 `invalid_cursor`), `limit` the page's size.
 */
export const pageQuery = {
  cursor: z.string().min(1).max(500).optional(),
  limit: z.coerce.number().int().min(1).max(maxPageSize).optional(),
};
