// @vitest-environment happy-dom
// Removing an admin item asks first; the question names it and its confirm button takes the focus.
import { mount } from '@vue/test-utils';
import { h, nextTick } from 'vue';
import { describe, expect, it } from 'vitest';
import { createConsoleI18n } from '../i18n/create-i18n';
import RemoveButton from './RemoveButton.vue';

const mountButton = (confirming: boolean) =>
  mount(RemoveButton, {
    props: { verb: 'revoke', name: 'CI key', testid: 'api-key-revoke', confirming },
    slots: { default: () => h('button', { 'data-testid': 'extra' }, 'Edit') },
    global: { plugins: [createConsoleI18n('en')] },
    attachTo: document.body,
  });

describe('RemoveButton', () => {
  it('offers the named button, after what the slot holds', async () => {
    const wrapper = mountButton(false);
    const button = wrapper.get('[data-testid="api-key-revoke"]');
    expect(button.attributes('aria-label')).toBe('Revoke CI key');
    expect(wrapper.find('[data-testid="extra"]').exists()).toBe(true);
    await button.trigger('click');
    expect(wrapper.emitted('ask')).toHaveLength(1);
    wrapper.unmount();
  });

  it('asks, focuses the confirmation and reports the answer', async () => {
    const wrapper = mountButton(false);
    await wrapper.setProps({ confirming: true });
    await nextTick();
    expect(wrapper.get('[role="alert"]').text()).toContain('CI key');
    expect(wrapper.find('[data-testid="extra"]').exists()).toBe(false);
    const confirm = wrapper.get('[data-testid="api-key-revoke-confirm"]');
    expect(document.activeElement).toBe(confirm.element);
    await confirm.trigger('click');
    await wrapper.get('[data-testid="api-key-revoke-cancel"]').trigger('click');
    expect(wrapper.emitted('confirm')).toHaveLength(1);
    expect(wrapper.emitted('cancel')).toHaveLength(1);
    wrapper.unmount();
  });
});
