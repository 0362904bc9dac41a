import { priorities, type Priority } from './vocabulary.js';

/** One step up the priority ladder (an SLA escalation step); urgent stays urgent. */
export const raisedPriority = (priority: Priority): Priority => priorities[Math.min(priorities.indexOf(priority) + 1, priorities.length - 1)]!;
