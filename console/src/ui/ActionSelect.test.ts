// @vitest-environment happy-dom
// A menu applied at once shows the server's value again when the change is refused.
import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import ActionSelect from './ActionSelect.vue';

const options = [
  { value: 'low', label: 'Low' },
  { value: 'high', label: 'High' },
];
const mountSelect = (apply: (value: string) => Promise<boolean>) =>
  mount(ActionSelect, { props: { label: 'Priority', value: 'low', options, disabled: false, testid: 'priority-select', apply } });

describe('ActionSelect', () => {
  it('labels the menu and applies the chosen value', async () => {
    const applied: string[] = [];
    const wrapper = mountSelect(async (value) => {
      applied.push(value);
      return true;
    });
    expect(wrapper.get('label').text()).toContain('Priority');
    await wrapper.get('[data-testid="priority-select"]').setValue('high');
    await flushPromises();
    expect(applied).toEqual(['high']);
    expect((wrapper.get('select').element as HTMLSelectElement).value).toBe('high');
  });

  it('goes back to the value it was given when the change is refused', async () => {
    const wrapper = mountSelect(async () => false);
    await wrapper.get('select').setValue('high');
    await flushPromises();
    expect((wrapper.get('select').element as HTMLSelectElement).value).toBe('low');
  });
});
