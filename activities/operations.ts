// Exactly-once effects for retried activities: each event an activity writes carries the id of
// the activity call, and a retry that finds it knows its earlier attempt committed.
import { Context } from '@temporalio/activity';
import type { Tx } from '../infra/db.js';

/** Identifies this activity call across its retries (same workflow run, same activity id). */
export function operationId(): string {
  const info = Context.current().info;
  return `${info.workflowExecution?.runId ?? 'no-workflow'}/${info.activityId}`;
}

/** True when a previous attempt of this call already committed its event about the subject. */
export async function alreadyRecorded(tx: Tx, subject: { conversationId: string } | { ticketId: string }, operation: string): Promise<boolean> {
  const found = await tx.event.findFirst({ where: { ...subject, payload: { path: ['operation'], equals: operation } }, select: { id: true } });
  return found !== null;
}
