// @vitest-environment happy-dom
// Schedule… in the customer's time: with the zone the widget reported on the contact (and another
// than the agent's), the panel offers tomorrow and Monday at 9:00 the customer's time with the
// agent's clock beside, and schedules that instant; without it, only the agent's own choices.
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18n, setLocale, timeZone } from '../i18n/i18n';
import SchedulePanel from './SchedulePanel.vue';

const contacts: Record<string, { timeZone: string | null }> = { ny: { timeZone: 'America/New_York' }, unknown: { timeZone: null } };
const scheduled: unknown[] = [];
vi.mock('../auth/session', () => ({
  sessionRequest: async (method: string, path: string, options?: { body?: { sendAt: string } }) => {
    if (method === 'GET') return { customer: contacts[path.split('/').pop()!] };
    scheduled.push(options?.body);
    return { scheduledMessage: { id: 's1', sendAt: options?.body?.sendAt } };
  },
}));

async function openPanel(customerId: string) {
  const wrapper = mount(SchedulePanel, { props: { conversationId: 'c1', body: 'See you then', customerId }, global: { plugins: [i18n] } });
  await wrapper.get('[data-testid="schedule-button"]').trigger('click');
  await flushPromises();
  return wrapper;
}
const choiceLabels = (wrapper: Awaited<ReturnType<typeof openPanel>>) => wrapper.findAll('label.option').map((label) => label.text());

describe("Schedule… in the customer's time", () => {
  beforeEach(() => {
    // Friday 10:00 in London, 05:00 in New York.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-04T10:00:00Z'));
    timeZone.value = 'Europe/London';
    scheduled.length = 0;
  });
  afterEach(() => {
    vi.useRealTimers();
    setLocale('en');
  });

  it("offers 9:00 the customer's time with the agent's clock, and schedules that instant", async () => {
    const wrapper = await openPanel('ny');
    expect(choiceLabels(wrapper)).toEqual([
      "Tomorrow at 9:00 the customer's time (14:00 yours)",
      "Monday at 9:00 the customer's time (14:00 yours)",
      'Tomorrow at 9:00',
      'Monday at 9:00',
      'A chosen time',
    ]);
    expect(wrapper.get('[data-testid="schedule-customer-zone"]').text()).toBe("The customer's time zone: America/New_York");
    await wrapper.get('[data-testid="schedule-customerTomorrow"]').setValue(true);
    await wrapper.get('[data-testid="schedule-apply"]').trigger('click');
    await flushPromises();
    expect(scheduled).toEqual([{ body: 'See you then', sendAt: '2026-12-05T14:00:00.000Z' }]);
    setLocale('zh-CN');
    await flushPromises();
    await wrapper.get('[data-testid="schedule-button"]').trigger('click');
    await flushPromises();
    expect(choiceLabels(wrapper)[1]).toBe('客户时间周一 9:00（你的 14:00）');
  });

  it("offers only the agent's own choices when the customer's zone is not known or is the agent's", async () => {
    expect(choiceLabels(await openPanel('unknown'))).toEqual(['Tomorrow at 9:00', 'Monday at 9:00', 'A chosen time']);
    timeZone.value = 'America/New_York';
    const same = await openPanel('ny');
    expect(choiceLabels(same)).toEqual(['Tomorrow at 9:00', 'Monday at 9:00', 'A chosen time']);
    expect(same.find('[data-testid="schedule-customer-zone"]').exists()).toBe(false);
  });
});
