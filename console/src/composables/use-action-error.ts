// The actions on a list's rows (remove, rotate, test…): each clears the last refusal and, when it
// is refused, keeps the server's message for the line above the list.
import { ref } from 'vue';
import type { Translate } from '../i18n/create-i18n';
import { errorText } from '../shared/error-text';

export function useActionError(t: Translate) {
  const actionError = ref<string | null>(null);
  async function act(action: () => Promise<void>) {
    actionError.value = null;
    try {
      await action();
    } catch (cause) {
      actionError.value = errorText(cause, t);
    }
  }
  return { actionError, act };
}
