// Timeouts and retry presets for activity calls, in one place.
import type { ActivityOptions } from '@temporalio/workflow';

/** Database reads and writes: quick, retried until they succeed (they are idempotent). */
export const shortActivity: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
};
