// What-if jobs on the wire (GET /api/what-if/:id and the answers of POST): the run's progress and,
// once completed, the comparison (domain/what-if.ts WhatIfResult).
import type { WhatIfKind, WhatIfResult } from '../domain/what-if.js';

export type { WhatIfKind, WhatIfResult } from '../domain/what-if.js';

export interface WhatIfRunView {
  id: string;
  kind: WhatIfKind;
  days: number;
  /** The candidate as sent. */
  candidate: Record<string, unknown>;
  /** The replayed period: conversations created in [periodStart, periodEnd). */
  periodStart: string;
  periodEnd: string;
  status: 'running' | 'completed' | 'cancelled' | 'failed';
  /** Conversations replayed so far, of `total` (0 until the first batch has counted them). */
  processed: number;
  total: number;
  /** Set when completed. */
  result: WhatIfResult | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}
