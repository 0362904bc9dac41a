// @vitest-environment happy-dom
// A form field ties its label, hint and problems to the control it wraps.
import { mount } from '@vue/test-utils';
import { h } from 'vue';
import { describe, expect, it } from 'vitest';
import FormField from './FormField.vue';

const mountField = (props: Record<string, unknown>) =>
  mount(FormField, { props: { id: 'team-name', label: 'Name', ...props }, slots: { default: (control: Record<string, unknown>) => h('input', control) } });

describe('FormField', () => {
  it('labels the control and points it at its hint', () => {
    const wrapper = mountField({ hint: 'Shown to customers.' });
    expect(wrapper.get('label').attributes('for')).toBe('team-name');
    const input = wrapper.get('input');
    expect(input.attributes()).toMatchObject({ id: 'team-name', 'aria-describedby': 'team-name-hint' });
    expect(input.attributes('aria-invalid')).toBeUndefined();
    expect(wrapper.get('#team-name-hint').text()).toBe('Shown to customers.');
  });

  it("marks the control invalid and names the server's problems, with their test id", () => {
    const wrapper = mountField({ hint: 'Shown to customers.', errors: ['Too long', 'Taken'], errorTestid: 'team-error-name' });
    const input = wrapper.get('input');
    expect(input.attributes()).toMatchObject({ 'aria-invalid': 'true', 'aria-describedby': 'team-name-hint team-name-error' });
    expect(wrapper.get('[data-testid="team-error-name"]').text()).toBe('Too long · Taken');
    expect(wrapper.get('#team-name-error').attributes('role')).toBeUndefined();
  });

  it('describes nothing when there is neither hint nor problem', () => {
    expect(mountField({}).get('input').attributes('aria-describedby')).toBeUndefined();
  });
});
