// The actions on one conversation or ticket: one runs at a time (its button shows which), and a
// refusal is kept as the server's own message (409, 400) for the action bar to show.
import { ref, type Ref } from 'vue';
import { translatorOf } from '../i18n/create-i18n';
import { i18n } from '../i18n/i18n';
import { errorText } from '../shared/error-text';

export interface Actions<Action extends string> {
  busy: Ref<Action | null>;
  error: Ref<string | null>;
  /** Runs the action unless one is under way; false when it was skipped or refused. */
  run: (action: Action, call: () => Promise<void>) => Promise<boolean>;
}

const translate = translatorOf(i18n);

export function useActions<Action extends string>(): Actions<Action> {
  const busy = ref(null) as Ref<Action | null>;
  const error = ref<string | null>(null);

  async function run(action: Action, call: () => Promise<void>): Promise<boolean> {
    if (busy.value) return false;
    busy.value = action;
    error.value = null;
    try {
      await call();
      return true;
    } catch (cause) {
      error.value = errorText(cause, translate);
      return false;
    } finally {
      busy.value = null;
    }
  }

  return { busy, error, run };
}
