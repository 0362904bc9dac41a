import { priorities, type Priority } from './vocabulary.js';

/** One step up the priority ladder (an SLA escalation step); urgent stays urgent. */
export const raisedPriority = (priority: Priority): Priority => priorities[Math.min(priorities.indexOf(priority) + 1, priorities.length - 1)]!;

/** What a conversation or ticket has until someone changes it (the schema's default too). */
export const defaultPriority: Priority = 'normal';
