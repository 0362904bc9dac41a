// @vitest-environment happy-dom
// The SLA badge as a component: the state in the user's language and a countdown to the due
// date, its exact time in the tooltip; nothing at all without an SLA.
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { i18n, setLocale } from '../i18n/i18n';
import SlaBadge from './SlaBadge.vue';

const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
const mountBadge = (sla: { state: 'ok' | 'warning' | 'breached'; dueAt: string | null; breachedAt: string | null } | null) =>
  mount(SlaBadge, { props: { sla }, global: { plugins: [i18n] } });

describe('SlaBadge', () => {
  afterEach(() => setLocale('en'));

  it('shows the state and counts down to the due date, in English and Chinese', async () => {
    const dueAt = inMinutes(90);
    const wrapper = mountBadge({ state: 'warning', dueAt, breachedAt: null });
    expect(wrapper.get('[data-testid="sla-badge"]').attributes()).toMatchObject({ 'data-sla': 'warning', 'data-due-at': dueAt });
    expect(wrapper.get('[data-testid="sla-countdown"]').text()).toMatch(/^· due in 1h \d+m$/);
    setLocale('zh-CN');
    await wrapper.vm.$nextTick();
    expect(wrapper.get('[data-testid="sla-badge"]').text()).toMatch(/[\u4e00-\u9fff]/);
  });

  it('renders nothing without an SLA', () => {
    expect(mountBadge(null).find('[data-testid="sla-badge"]').exists()).toBe(false);
  });
});
