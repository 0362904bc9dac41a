// Business hours as admins write them. Whether a time zone exists is known to the API through
// luxon (api/admin-fields.ts timeZone), which contract/ may not import: the bodies are made with
// the check the caller has (the console can pass one built on Intl).
import { z } from 'zod';
import { holidays, name, weekly } from './admin-fields.js';

/** POST /api/business-hours and PATCH /api/business-hours/:id, checking zones with `timeZone`. */
export function businessHoursBodies(timeZone: z.ZodType<string, string>) {
  return {
    create: z.strictObject({ name, timeZone, weekly, holidays: holidays.default([]) }),
    update: z
      .strictObject({ name: name.optional(), timeZone: timeZone.optional(), weekly: weekly.optional(), holidays: holidays.optional() })
      .refine((changes) => Object.values(changes).some((value) => value !== undefined), { message: 'Change at least one field.' }),
  };
}
