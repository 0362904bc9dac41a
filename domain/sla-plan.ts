// The SLA policy a conversation or ticket is measured against, as the workflows carry it: chosen
// once by an activity (activities/sla-plans.ts), then kept in workflow state and histories, so
// it is plain JSON. Shared by the workflow contracts, the activities and the API.
import type { BusinessCalendar } from './business-hours.js';

/** One step of an SLA policy's escalation ladder, run in order when a target is breached. */
export type EscalationStep = { action: 'notify' } | { action: 'raise_priority' } | { action: 'move_to_expert' } | { action: 'reassign_to_lead' };

/** The SLA policy that applies to the subject, resolved once by an activity. */
export interface SlaPlan {
  policyId: string;
  policyName: string;
  firstResponseMinutes: number;
  nextResponseMinutes: number;
  resolutionMinutes: number;
  warningPercent: number;
  escalation: EscalationStep[];
  /** The business hours the clocks count in; null counts every minute. */
  calendar: BusinessCalendar | null;
}
