// One workflow per agent, alive while their presence matters: a durable grace timer after going
// offline (a dropped connection or a short break must not scatter their conversations), then
// their open conversations are routed to others.
import { condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { AgentActivities } from '../activities/agent-activities.js';
import type { Presence } from '../domain/vocabulary.js';
import { shortActivity } from './activity-options.js';
import { presenceChangedSignal, seatsAddedSignal, type AgentWorkflowInput } from './agent.messages.js';

const activities = proxyActivities<AgentActivities>(shortActivity);

/** Presence changes handled per run before continuing as new. */
const changesPerRun = 500;

/** `agent-<userId>`: reacts to presence changes; idles (no timers) while nothing is pending. */
export async function agentWorkflow({ userId }: AgentWorkflowInput): Promise<void> {
  const pending: Presence[] = [];
  let seatsAdded: string | null = null;
  setHandler(presenceChangedSignal, ({ presence }) => void pending.push(presence));
  setHandler(seatsAddedSignal, ({ reason }) => void (seatsAdded = reason));

  for (let handled = 0; handled < changesPerRun; handled += 1) {
    await condition(() => pending.length > 0 || seatsAdded !== null);
    if (pending.length === 0) {
      const reason = seatsAdded ?? 'seats added';
      seatsAdded = null;
      await activities.offerQueue({ reason });
      continue;
    }
    const presence = pending.splice(0, pending.length).at(-1)!;
    if (presence === 'online') {
      await activities.offerQueue({ reason: `agent ${userId} came online` });
    } else if (presence === 'offline') {
      const { offlineGraceMinutes } = await activities.agentSettings();
      const cameBack = await condition(() => pending.length > 0, offlineGraceMinutes * 60_000);
      if (!cameBack) await activities.requeueAgentConversations({ userId, reason: `agent offline for ${offlineGraceMinutes} minutes` });
    }
    if (workflowInfo().continueAsNewSuggested) break;
  }
  await continueAsNew<typeof agentWorkflow>({ userId });
}
