// The customer_erasure migration's trigger refuses a new conversation or ticket for an erased
// contact (a request that got past the token check in the moment of the erasure, or a visitor id
// remembered by infra/auth/principal.ts for its few seconds): its error, recognised wherever the
// driver or Prisma wrapped it, becomes 410 `customer_erased` instead of a 500.
const erasedMessage = /customer [0-9a-f-]{36} was erased/;

interface MaybeWrapped {
  message?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: { cause?: unknown }; message?: unknown };
}

/** Whether the error (or one it wraps) is the trigger's refusal. */
export function isErasedCustomerError(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const candidate = error as MaybeWrapped;
  for (const text of [candidate.message, candidate.meta?.message]) if (typeof text === 'string' && erasedMessage.test(text)) return true;
  return isErasedCustomerError(candidate.meta?.driverAdapterError?.cause, depth + 1) || isErasedCustomerError(candidate.cause, depth + 1);
}
