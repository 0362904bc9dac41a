// @vitest-environment happy-dom
// "Try on past traffic" for an agent's routing profile: the unsaved profile is sent as a
// routing_profile job, and the completed comparison shows the waits (mean, median, 90th
// percentile), each agent's load by name, and how many conversations would move or wait longer;
// in Chinese too.
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { i18n, setLocale } from '../i18n/i18n';
import WhatIfPanel from './WhatIfPanel.vue';

const ana = '00000000-0000-4000-8000-00000000a001';
const bo = '00000000-0000-4000-8000-00000000a002';
const candidate = { changes: { [bo]: { tier: 'junior', teamId: null, skills: ['billing'], capacity: 1 } } };
const sent: unknown[] = [];
const job = {
  id: 'j1',
  kind: 'routing_profile',
  days: 30,
  candidate,
  periodStart: '2026-11-07T00:00:00.000Z',
  periodEnd: '2026-12-07T00:00:00.000Z',
  status: 'completed',
  processed: 5,
  total: 5,
  result: {
    kind: 'routing_profile',
    conversations: 5,
    routing: {
      arrivals: 2,
      stillQueued: 0,
      actual: { averageWaitMinutes: 12.5, medianWaitMinutes: 0, p90WaitMinutes: 25, agents: [{ agentId: ana, assigned: 2, averageWaitMinutes: 12.5 }] },
      whatIf: {
        averageWaitMinutes: 0,
        medianWaitMinutes: 0,
        p90WaitMinutes: 0,
        agents: [
          { agentId: ana, capacity: 1, assigned: 1, peakOpen: 1, averageWaitMinutes: 0 },
          { agentId: bo, capacity: 1, assigned: 1, peakOpen: 1, averageWaitMinutes: 0 },
        ],
      },
      reassigned: { count: 1, ids: ['c1'] },
      waitedLonger: { count: 0, ids: [] },
    },
  },
  error: null,
  createdAt: '2026-12-07T00:00:00.000Z',
  finishedAt: '2026-12-07T00:00:01.000Z',
};
vi.mock('../auth/session', () => ({
  sessionRequest: async (method: string, _path: string, options?: { body?: unknown }) => {
    if (method === 'POST') sent.push(options?.body);
    return { whatIf: job };
  },
}));

/** A comparison row: its label, what happened, with the candidate. */
function cells(wrapper: ReturnType<typeof mount>, key: string) {
  const row = wrapper.get(`[data-testid="what-if-row-${key}"]`);
  return [row.get('th').text(), row.get('[data-testid="what-if-actual"]').text(), row.get('[data-testid="what-if-candidate"]').text()];
}

describe('WhatIfPanel for routing profiles', () => {
  afterEach(() => setLocale('en'));

  it('sends the unsaved profile and shows waits, loads by name and what moves', async () => {
    const wrapper = mount(WhatIfPanel, {
      props: { kind: 'routing_profile', candidate: () => candidate, agentNames: { [ana]: 'Ana', [bo]: 'Bo' } },
      global: { plugins: [i18n] },
    });
    await wrapper.get('[data-testid="what-if-run"]').trigger('click');
    await flushPromises();
    expect(sent).toEqual([{ kind: 'routing_profile', days: 30, candidate }]);
    expect(cells(wrapper, 'wait')).toEqual(['Average wait (minutes)', '12.5', '0']);
    expect(cells(wrapper, 'medianWait')).toEqual(['Median wait (minutes)', '0', '0']);
    expect(cells(wrapper, 'p90Wait')).toEqual(['9 in 10 waited at most (minutes)', '25', '0']);
    expect(cells(wrapper, `agent-${bo}`)).toEqual(['Conversations for Bo', '0', '1']);
    expect(wrapper.get('[data-testid="what-if-changed"]').text()).toBe('Conversations that would go to another agent: 1; that would wait longer: 0');
    setLocale('zh-CN');
    await flushPromises();
    expect(cells(wrapper, 'p90Wait')[0]).toBe('九成会话的等待不超过（分钟）');
    expect(wrapper.get('[data-testid="what-if-changed"]').text()).toBe('会改派给其他坐席的会话：1；会等待更久的会话：0');
  });
});
