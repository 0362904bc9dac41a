// Example questions of a knowledge article: how customers ask for it in their own words. The
// limits are shared by the API's validation and the suggestions recorded from helpful bot answers.

export const maxQuestionLength = 300;
export const maxQuestionsPerArticle = 100;

/**
 * The customer's question as a suggested example question of an article, or null when it would
 * add nothing: empty, too long to be a phrasing (a pasted log, a whole story), or already one of
 * the article's questions.
 */
export function suggestedQuestionOf(customerText: string, existingQuestions: readonly string[]): string | null {
  const text = customerText.trim();
  if (text.length === 0 || text.length > maxQuestionLength) return null;
  return existingQuestions.includes(text) ? null : text;
}
