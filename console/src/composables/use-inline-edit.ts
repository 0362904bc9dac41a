// One item of a list edited in place at a time: which one, its draft, and which one was saved
// last. Opening a form puts focus in its first field; closing it puts focus back on the button
// that opened it (the form, and the focused element with it, is gone).
import { nextTick, ref, type Ref } from 'vue';

export interface InlineEditOptions {
  /** The element id of the form's first field for an item id. */
  firstField: (id: string) => string;
  /** A selector for the button that opens the form for an item id. */
  opener: (id: string) => string;
  /** Runs whenever a form opens or closes (e.g. to clear the form's errors). */
  reset?: () => void;
}

export interface InlineEdit<Draft> {
  editingId: Ref<string | null>;
  draft: Ref<Draft | null>;
  /** The item whose save went through last, for its "Saved" note. */
  savedId: Ref<string | null>;
  edit: (id: string, draft: Draft) => Promise<void>;
  close: () => void;
}

export function useInlineEdit<Draft>(options: InlineEditOptions): InlineEdit<Draft> {
  const editingId = ref<string | null>(null);
  const draft = ref(null) as Ref<Draft | null>;
  const savedId = ref<string | null>(null);

  async function edit(id: string, value: Draft): Promise<void> {
    editingId.value = id;
    draft.value = value;
    savedId.value = null;
    options.reset?.();
    await nextTick();
    document.getElementById(options.firstField(id))?.focus();
  }

  function close(): void {
    const id = editingId.value;
    editingId.value = null;
    draft.value = null;
    options.reset?.();
    if (id) void nextTick(() => document.querySelector<HTMLElement>(options.opener(id))?.focus());
  }

  return { editingId, draft, savedId, edit, close };
}
