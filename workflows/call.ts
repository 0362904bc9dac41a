// `call-<callId>`: a call's ring timeout (issue 24). The API writes every change of the call
// itself (answered, declined, hung up, transferred: api/services/call-service.ts) and signals it
// here; this workflow rings for the channel's ring time, again after each transfer, and when
// nobody answers in time records the call missed (`recordCallMissed`: only if it still rings, so
// an answer racing the timer wins), which tells the conversation's workflow for rules on
// `call_missed`. It ends with the call.
import { condition, getExternalWorkflowHandle, proxyActivities, setHandler } from '@temporalio/workflow';
import type { CallActivities } from '../activities/call-activities.js';
import { conversationWorkflowId } from '../domain/workflow-ids.js';
import { shortActivity } from './activity-options.js';
import { callMissedSignal } from './conversation.messages.js';
import { callChangedSignal, callStateQuery, type CallOutcome, type CallWorkflowInput, type CallWorkflowState } from './call.messages.js';

const activities = proxyActivities<CallActivities>(shortActivity);

export async function callWorkflow({ callId, ringTimeoutMs }: CallWorkflowInput): Promise<CallOutcome> {
  const state: CallWorkflowState = { callId, ringing: true, ended: false, rings: 1, missed: false };
  setHandler(callStateQuery, () => state);
  setHandler(callChangedSignal, ({ change }) => {
    if (change === 'ended') state.ended = true;
    else if (change === 'answered') state.ringing = false;
    else {
      state.ringing = true;
      state.rings += 1;
    }
  });
  while (!state.ended) {
    if (!state.ringing) {
      await condition(() => state.ended || state.ringing);
      continue;
    }
    const ring = state.rings;
    const settled = await condition(() => state.ended || !state.ringing || state.rings !== ring, ringTimeoutMs);
    if (settled) continue;
    const { missed, conversationId } = await activities.recordCallMissed({ callId });
    // Not missed: the API answered or ended it just now; its signal is on the way.
    if (missed) {
      state.missed = true;
      if (conversationId) {
        // Rules on call_missed run in the conversation's workflow; a closed one has none left to run.
        await getExternalWorkflowHandle(conversationWorkflowId(conversationId))
          .signal(callMissedSignal, { callId })
          .catch(() => undefined);
      }
      return { outcome: 'missed' };
    }
    await condition(() => state.ended || !state.ringing || state.rings !== ring);
  }
  return { outcome: 'ended' };
}
