// Saving a form: one save at a time, the server's 400 problems by field (details[].path) and the
// rest as one message for the whole form, and whether the last save went through.
import { ref, type Ref } from 'vue';
import { translatorOf } from '../i18n/create-i18n';
import { i18n } from '../i18n/i18n';
import { errorText } from '../shared/error-text';
import { ApiError } from '../shared/http';

/** Messages by form field; `form` holds those that belong to no field. */
export type FieldErrors = Partial<Record<string, string[]>>;

export interface FormSave {
  saving: Ref<boolean>;
  /** The last save succeeded (a "Saved" note); cleared when the next one starts. */
  saved: Ref<boolean>;
  errors: Ref<FieldErrors>;
  /** Runs the save unless one is under way; false when it was skipped or failed (errors then say why). */
  save: (action: () => Promise<void>) => Promise<boolean>;
  /** Clears the errors and the saved note (a form opened or closed). */
  reset: () => void;
}

const translate = translatorOf(i18n);

/** `fieldErrorsOf`: sorts a 400's details into the form's fields (anything else goes under `form`). */
export function useFormSave(fieldErrorsOf: (details: unknown) => FieldErrors = () => ({})): FormSave {
  const saving = ref(false);
  const saved = ref(false);
  const errors = ref<FieldErrors>({});

  async function save(action: () => Promise<void>): Promise<boolean> {
    if (saving.value) return false;
    saving.value = true;
    saved.value = false;
    errors.value = {};
    try {
      await action();
      saved.value = true;
      return true;
    } catch (cause) {
      const byField = cause instanceof ApiError ? fieldErrorsOf(cause.details) : {};
      errors.value = { ...byField, form: [errorText(cause, translate), ...(byField.form ?? [])] };
      return false;
    } finally {
      saving.value = false;
    }
  }

  function reset(): void {
    errors.value = {};
    saved.value = false;
  }

  return { saving, saved, errors, save, reset };
}
