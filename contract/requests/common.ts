// Request pieces every area shares: a record's id in the path, an action that takes no body, the
// text of a chat message.
import { z } from 'zod';

/** `/…/:id` where the id is a record's UUID. */
export const idParams = z.object({ id: z.uuid() });

/** An action whose body must be empty (`{}` or none). */
export const emptyBody = z.strictObject({});

/** A chat message as a customer or an agent writes it: trimmed, 1-10,000 characters. */
export const messageText = z.string().trim().min(1, 'A message cannot be empty').max(10_000);
