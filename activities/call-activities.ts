// The call workflow's one write (workflows/call.ts): a call nobody answered in time is missed.
import { toCallView } from '../infra/call-view.js';
import { appendEvent } from '../infra/event-log.js';
import { conversationScope } from '../infra/views.js';
import type { ActivityDeps } from './activity-deps.js';

export interface CallActivities {
  /**
   * Marks the call missed and writes `call.missed`, only if it still rings (an answer, a decline or
   * a hang-up the API wrote first wins); a retry after the commit finds it missed and reports so.
   * `conversationId`: whose workflow hears of it (rules on call_missed).
   */
  recordCallMissed(input: { callId: string }): Promise<{ missed: boolean; conversationId: string | null }>;
}

export function createCallActivities(deps: Pick<ActivityDeps, 'db'>): CallActivities {
  return {
    async recordCallMissed({ callId }) {
      return deps.db.$transaction(async (tx) => {
        const [locked] = await tx.$queryRaw<{ status: string }[]>`SELECT status::text AS status FROM "Call" WHERE id = ${callId}::uuid FOR UPDATE`;
        if (!locked) return { missed: false, conversationId: null };
        const call = await tx.call.findUniqueOrThrow({
          where: { id: callId },
          include: { conversation: { select: { customerId: true, teamId: true, assigneeId: true } } },
        });
        if (locked.status === 'missed') return { missed: true, conversationId: call.conversationId };
        if (locked.status !== 'ringing') return { missed: false, conversationId: call.conversationId };
        const { conversation, ...updated } = { ...call, ...(await tx.call.update({ where: { id: callId }, data: { status: 'missed', endedAt: new Date() } })) };
        await appendEvent(tx, {
          type: 'call.missed',
          actorKind: 'system',
          conversationId: call.conversationId,
          ...conversationScope(conversation),
          payload: { call: toCallView(updated), operation: `call-missed:${callId}` },
        });
        return { missed: true, conversationId: call.conversationId };
      });
    },
  };
}
