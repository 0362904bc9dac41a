// Suggested example questions: when a customer marks the bot's answer helpful, the question it
// answered is offered to an admin as an example question of each cited article (the admin accepts
// or dismisses it through the knowledge API). Customers write anything, so nothing is added on its own.
import { log } from '@temporalio/activity';
import { suggestedQuestionOf } from '../domain/example-questions.js';
import type { Tx } from '../infra/db.js';
import type { MessageMetadata } from '../infra/views.js';

/**
 * Records the suggestions inside the transaction that stores the helpful feedback. Runs in a
 * savepoint and swallows its own failure: a suggestion is a nicety, the feedback must stand.
 * Idempotent (unique article + text, duplicates skipped), so an activity retry is harmless.
 */
export async function suggestQuestionsFromHelpfulAnswer(tx: Tx, conversationId: string): Promise<void> {
  await tx.$executeRaw`SAVEPOINT question_suggestions`;
  try {
    await recordSuggestions(tx, conversationId);
    await tx.$executeRaw`RELEASE SAVEPOINT question_suggestions`;
  } catch (error) {
    await tx.$executeRaw`ROLLBACK TO SAVEPOINT question_suggestions`;
    log.warn('could not record suggested example questions', { conversationId, error: String(error) });
  }
}

async function recordSuggestions(tx: Tx, conversationId: string): Promise<void> {
  const visible = { conversationId, private: false };
  const [answer, question] = await Promise.all([
    tx.message.findFirst({ where: { ...visible, authorKind: 'bot' }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { metadata: true } }),
    // The bot answers the conversation's first customer message (answerWithBot in ai-activities.ts).
    tx.message.findFirst({ where: { ...visible, authorKind: 'customer' }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { body: true } }),
  ]);
  const metadata = answer?.metadata as MessageMetadata | null | undefined;
  const citedIds = metadata?.kind === 'bot_answer' ? [...new Set((metadata.citations ?? []).map((citation) => citation.id))] : [];
  if (!question || citedIds.length === 0) return;
  const articles = await tx.knowledgeArticle.findMany({ where: { id: { in: citedIds } }, select: { id: true, questions: true } });
  const suggestions = articles.flatMap((article) => {
    const text = suggestedQuestionOf(question.body, article.questions);
    return text ? [{ articleId: article.id, text, conversationId }] : [];
  });
  if (suggestions.length > 0) await tx.articleQuestionSuggestion.createMany({ data: suggestions, skipDuplicates: true });
}
