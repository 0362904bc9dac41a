// A contact's data rights (admins only): the export's format, and the erasure's typed confirmation.
import { z } from 'zod';

/** GET /api/customers/:id/export: a zip with the files (default) or the JSON document alone. */
export const customerExportQuery = z.strictObject({ format: z.enum(['zip', 'json']).optional() });

/**
 * POST /api/customers/:id/erase: `confirm` is the contact's name as stored, or the word ERASE
 * (any case) — typed by the admin, so no stray click erases anyone.
 */
export const customerEraseBody = z.strictObject({ confirm: z.string().trim().min(1, 'Type the contact’s name or ERASE to confirm').max(300) });
export type CustomerEraseBody = z.infer<typeof customerEraseBody>;

/** Whether the typed confirmation matches: ERASE (any case), or the contact's name (trimmed, case as stored). */
export function erasureConfirmed(confirm: string, name: string | null): boolean {
  const typed = confirm.trim();
  return typed.toUpperCase() === 'ERASE' || (name !== null && name.trim() !== '' && typed === name.trim());
}
