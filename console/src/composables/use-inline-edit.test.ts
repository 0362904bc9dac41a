// @vitest-environment happy-dom
import { nextTick } from 'vue';
import { afterEach, describe, expect, it } from 'vitest';
import { useInlineEdit } from './use-inline-edit';

afterEach(() => {
  document.body.innerHTML = '';
});

function page() {
  document.body.innerHTML = `
    <div data-row-id="a"><button data-testid="edit">Edit</button><input id="a-name" /></div>`;
  let resets = 0;
  const edit = useInlineEdit<{ name: string }>({
    firstField: (id) => `${id}-name`,
    opener: (id) => `[data-row-id="${id}"] [data-testid="edit"]`,
    reset: () => resets++,
  });
  return { edit, resets: () => resets };
}

describe('useInlineEdit', () => {
  it('opens one item with its draft and puts focus in its first field', async () => {
    const { edit, resets } = page();
    edit.savedId.value = 'b';
    await edit.edit('a', { name: 'Alpha' });
    expect(edit.editingId.value).toBe('a');
    expect(edit.draft.value).toEqual({ name: 'Alpha' });
    expect(edit.savedId.value).toBeNull();
    expect(resets()).toBe(1);
    expect(document.activeElement?.id).toBe('a-name');
  });

  it('closes and gives focus back to the button that opened the form', async () => {
    const { edit, resets } = page();
    await edit.edit('a', { name: 'Alpha' });
    edit.close();
    expect(edit.editingId.value).toBeNull();
    expect(edit.draft.value).toBeNull();
    expect(resets()).toBe(2);
    await nextTick();
    expect(document.activeElement?.getAttribute('data-testid')).toBe('edit');
  });
});
