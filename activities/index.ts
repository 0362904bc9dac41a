// The one factory the worker calls: every activity, built from real dependencies.
import { createAgentActivities } from './agent-activities.js';
import { createBotActionActivities } from './bot-action-activities.js';
import { createCalibrationActivities } from './calibration-activities.js';
import { createCallActivities } from './call-activities.js';
import type { ActivityDeps } from './activity-deps.js';
import { createConversationActivities } from './conversation-activities.js';
import { createEmailActivities } from './email-activities.js';
import { createFollowUpActivities } from './follow-up-activities.js';
import { createMailboxActivities } from './mailbox-activities.js';
import { createAiActivities, createBot } from './ai-activities.js';
import { createNotificationActivities } from './notification-activities.js';
import { createReminderActivities } from './reminder-activities.js';
import { createRuleActivities } from './rule-activities.js';
import { createScheduledMessageActivities } from './scheduled-message-activities.js';
import { createTicketActivities } from './ticket-activities.js';
import { createWebhookActivities } from './webhook-activities.js';
import { createWhatIfActivities } from './what-if-activities.js';

export type { ActivityDeps };

export function createActivities(deps: ActivityDeps) {
  // One bot for the worker: its knowledge index is built once, whichever activity answers.
  const bot = createBot(deps);
  const ai = createAiActivities(deps, bot);
  return {
    ...createConversationActivities(deps, bot),
    ...createAgentActivities(deps),
    ...createTicketActivities(deps),
    ...ai,
    ...createBotActionActivities(deps),
    ...createNotificationActivities(deps),
    ...createRuleActivities(deps),
    ...createEmailActivities(deps),
    ...createMailboxActivities(deps),
    ...createCalibrationActivities(deps),
    ...createWebhookActivities(deps),
    ...createCallActivities(deps),
    ...createScheduledMessageActivities(deps),
    ...createFollowUpActivities(deps),
    ...createReminderActivities(deps),
    ...createWhatIfActivities(deps),
  };
}
