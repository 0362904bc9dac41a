// Agent and admin sign-in (POST /api/auth/login).
import { z } from 'zod';

export const loginBody = z.strictObject({
  email: z.string().trim().toLowerCase().email().max(320),
  password: z.string().min(1).max(1024),
});
export type LoginInput = z.input<typeof loginBody>;
