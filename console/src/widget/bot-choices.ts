// A clarifying bot question ("Do you mean A or B?", issue 20 item 2): the articles it offers
// carry their answers, and the widget shows the one the customer chooses. Pure, so it is unit-tested.
import type { BotChoice } from '../../../contract/views';

/** The article the customer chose under a clarifying bot question, if it is one of its choices. */
export function chosenChoice(answer: { choices?: readonly BotChoice[] } | null, chosenId: string | undefined): BotChoice | null {
  return answer?.choices?.find((choice) => choice.id === chosenId) ?? null;
}
