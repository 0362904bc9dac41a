// The workflows the worker registers (the bundler starts from this file).
export { agentWorkflow } from './agent.js';
export { conversationWorkflow } from './conversation.js';
export { callWorkflow } from './call.js';
export { mailboxWorkflow } from './mailbox.js';
export { ticketWorkflow } from './ticket.js';
export { emailDeliveryWorkflow } from './email-delivery.js';
export { knowledgeCalibrationWorkflow } from './knowledge-calibration.js';
export { scheduledMessageWorkflow } from './scheduled-message.js';
export { webhookLaneWorkflow } from './webhook-lane.js';
export { followUpWorkflow } from './follow-up.js';
export { reminderWorkflow } from './reminder.js';
export { whatIfWorkflow } from './what-if.js';
