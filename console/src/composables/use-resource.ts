// Loading what a screen shows: the value, whether a load is under way, whether one has ever
// finished, the failure (as text in the current language) and a reload for the Retry button.
import { computed, getCurrentScope, onScopeDispose, ref, shallowRef, type ComputedRef, type Ref } from 'vue';
import { translatorOf } from '../i18n/create-i18n';
import { i18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages-en';
import { errorText } from '../shared/error-text';

export interface Resource<T> {
  data: Ref<T>;
  loading: Ref<boolean>;
  /** A load has succeeded at least once (so "empty" means empty, not "not yet"). */
  loaded: Ref<boolean>;
  /** The last load's failure, null after a success or while retrying. */
  error: Ref<unknown>;
  errorMessage: ComputedRef<string | null>;
  /** Starts a fresh load; a load still under way is aborted and its answer ignored. True when it succeeded. */
  reload: () => Promise<boolean>;
}

/** What a load-state display needs of a resource (or of several loads shown as one). */
export type ResourceState = Pick<Resource<unknown>, 'errorMessage' | 'loaded'> & { reload: () => unknown };

export interface ResourceOptions {
  /** Load at once (the default), or wait for the first reload(). */
  immediate?: boolean;
  /** The text for a failure that is not the server's answer (see errorText). */
  otherwise?: MessageKey;
}

const translate = translatorOf(i18n);

export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, initial: T, options: ResourceOptions = {}): Resource<T> {
  const data = ref(initial) as Ref<T>;
  const loading = ref(false);
  const loaded = ref(false);
  const error = shallowRef<unknown>(null);
  // Computed, not stored: a failure shown before a language switch is shown in the new language.
  const errorMessage = computed(() => (error.value === null ? null : errorText(error.value, translate, options.otherwise)));
  let current: AbortController | null = null;

  async function reload(): Promise<boolean> {
    current?.abort();
    const controller = new AbortController();
    current = controller;
    loading.value = true;
    error.value = null;
    try {
      const value = await load(controller.signal);
      if (controller.signal.aborted) return false;
      data.value = value;
      loaded.value = true;
      return true;
    } catch (cause) {
      if (!controller.signal.aborted) error.value = cause;
      return false;
    } finally {
      if (current === controller) {
        current = null;
        loading.value = false;
      }
    }
  }

  if (getCurrentScope()) onScopeDispose(() => current?.abort());
  if (options.immediate ?? true) void reload();
  return { data, loading, loaded, error, errorMessage, reload };
}
