// The customer's verdict on the bot's answer (helpful, not helpful, "talk to a human"), given once
// per answer. The conversation's workflow records it (botFeedbackUpdate). Two things keep a flood
// of verdicts cheap and single: the verdict already recorded is looked up first, so a repeat is
// answered from the database with no workflow update; and verdicts sent at the same moment carry
// one update id per answer, so Temporal runs the update once and every caller shares its outcome.
import { selfServiceEvents, type BotFeedbackOutcome } from '../../domain/self-service.js';
import { conversationWorkflowId } from '../../domain/workflow-ids.js';
import type { Db } from '../../infra/db.js';
import { conversationInclude, toConversationView } from '../../infra/views.js';
import { botFeedbackUpdate, conversationFailures } from '../../workflows/conversation.messages.js';
import type { ApiDeps } from '../deps.js';
import { conflict, notFound } from '../http-error.js';
import { feedbackRecalibrationDue } from '../../infra/ai/calibration-store.js';
import { requestRecalibration } from './calibration-service.js';
import { workflowGateway } from './workflow-gateway.js';

type Deps = Pick<ApiDeps, 'db' | 'temporal' | 'relay'>;

/**
 * The customer's verdict on the bot's answer (event `answerId`), if given: read from the events
 * the workflow wrote after it.
 */
export async function verdictOn(db: Db, conversationId: string, answerId: bigint): Promise<BotFeedbackOutcome | null> {
  const events = await db.event.findMany({
    where: { conversationId, id: { gt: answerId }, type: { in: [selfServiceEvents.helpful, selfServiceEvents.notHelpful, selfServiceEvents.handedOff] } },
    orderBy: { id: 'asc' },
    select: { type: true, payload: true },
  });
  for (const event of events) {
    if (event.type === selfServiceEvents.helpful) return 'helpful';
    if (event.type === selfServiceEvents.notHelpful) return 'not_helpful';
    // A hand-off because the customer wrote again is no verdict; one they asked for is.
    if ((event.payload as { reason?: string } | null)?.reason === 'wants_human') return 'wants_human';
  }
  return null;
}

/**
 * Records the visitor's verdict on the bot's latest answer in their own conversation (404 for
 * another's). The verdict it already has is a no-op (the conversation as it is); another verdict
 * after one is 409 `feedback_given`; without an answer 409 `invalid_transition`, as when the
 * workflow refuses (a person has the conversation).
 */
export async function giveBotFeedback(deps: Deps, input: { conversationId: string; customerId: string; outcome: BotFeedbackOutcome }) {
  const { conversationId, outcome } = input;
  const current = async () => {
    const row = await deps.db.conversation.findFirst({ where: { id: conversationId, customerId: input.customerId }, include: conversationInclude });
    if (!row) throw notFound('Conversation');
    return toConversationView(row);
  };
  await current(); // 404 for another customer's conversation, before anything about it is read
  const answer = await deps.db.event.findFirst({ where: { conversationId, type: selfServiceEvents.answered }, orderBy: { id: 'desc' }, select: { id: true } });
  /** The conversation when the answer has this very verdict; 409 when it has another; null when none yet. */
  const settled = async () => {
    const given = await verdictOn(deps.db, conversationId, answer!.id);
    if (given === null) return null;
    if (given !== outcome) throw conflict('feedback_given', `The bot's answer was already marked ${given.replace('_', ' ')}.`);
    return current();
  };
  // No answer to judge: refused here, without troubling the workflow (the answer's event is
  // written with the answer, so a customer who has seen it finds it).
  if (!answer) throw conflict('invalid_transition', 'The bot has not answered in this conversation.');
  const repeat = await settled();
  if (repeat) return repeat;
  await workflowGateway(deps).update({
    workflowId: conversationWorkflowId(conversationId),
    update: botFeedbackUpdate,
    input: { outcome },
    refusals: {
      [conversationFailures.invalidInput]: { status: 400, code: 'invalid_input' },
      [conversationFailures.invalidTransition]: { status: 409, code: 'invalid_transition' },
    },
    closed: { code: 'conversation_closed', message: 'This conversation is closed.' },
    // One verdict per answer: parallel requests share one update (and one outcome), whatever
    // verdict each sent; what was recorded is read back below.
    updateId: `bot-feedback-${answer.id}`,
  });
  // The verdicts refine the knowledge base's calibration: every so many, it is refitted (debounced).
  if (await feedbackRecalibrationDue(deps.db)) await requestRecalibration(deps, 'feedback');
  return (await settled()) ?? current();
}
