// @vitest-environment happy-dom
// The modal dialog's keyboard contract: focus moves in and stays in, the close keys and the
// backdrop ask to close, and focus returns to where it was.
import { mount } from '@vue/test-utils';
import { h } from 'vue';
import { afterEach, describe, expect, it } from 'vitest';
import ModalDialog from './ModalDialog.vue';

afterEach(() => {
  document.body.innerHTML = '';
});

function open(props: Record<string, unknown> = {}) {
  const opener = document.createElement('button');
  document.body.appendChild(opener);
  opener.focus();
  const wrapper = mount(ModalDialog, {
    attachTo: document.body,
    props: { labelledby: 'title', ...props },
    attrs: { 'data-testid': 'dialog' },
    slots: {
      default: () => [
        h('h2', { id: 'title' }, 'Title'),
        h('button', { id: 'first' }, 'First'),
        h('button', { id: 'off', disabled: true }, 'Off'),
        h('button', { id: 'last', 'data-autofocus': '' }, 'Last'),
      ],
    },
  });
  return { wrapper, opener };
}

describe('ModalDialog', () => {
  it('is a labelled modal dialog that carries the caller’s attributes', () => {
    const { wrapper } = open({ role: 'alertdialog' });
    const dialog = wrapper.get('[data-testid="dialog"]');
    expect(dialog.attributes()).toMatchObject({ role: 'alertdialog', 'aria-modal': 'true', 'aria-labelledby': 'title' });
  });

  it('puts focus on the marked control and keeps Tab inside, skipping disabled controls', async () => {
    const { wrapper } = open();
    expect(document.activeElement?.id).toBe('last');
    await wrapper.get('[data-testid="dialog"]').trigger('keydown', { key: 'Tab' });
    expect(document.activeElement?.id).toBe('first');
    await wrapper.get('[data-testid="dialog"]').trigger('keydown', { key: 'Tab', shiftKey: true });
    expect(document.activeElement?.id).toBe('last');
  });

  it('asks to close on its close keys and on a click beside it', async () => {
    const { wrapper } = open({ closeKeys: ['Escape', '?'] });
    await wrapper.get('[data-testid="dialog"]').trigger('keydown', { key: '?' });
    await wrapper.get('[data-testid="dialog"]').trigger('keydown', { key: 'Escape' });
    await wrapper.get('.backdrop').trigger('click');
    await wrapper.get('[data-testid="dialog"]').trigger('click');
    expect(wrapper.emitted('close')).toHaveLength(3);
  });

  it('gives focus back to where it was when it closes', () => {
    const { wrapper, opener } = open();
    wrapper.unmount();
    expect(document.activeElement).toBe(opener);
  });
});
