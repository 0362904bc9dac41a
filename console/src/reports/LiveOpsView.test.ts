// @vitest-environment happy-dom
// The live operations screen with the API and the socket replaced: the headline figures of the
// snapshot, read again once after a burst of events that move it (not after a message), and the
// refusal in words for an agent who leads no team.
import { flushPromises, mount, RouterLinkStub } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventView } from '../../../domain/events';
import type { LiveOperations } from '../../../domain/live-operations';
import { i18n } from '../i18n/i18n';
import { ApiError } from '../shared/http';
import LiveOpsView from './LiveOpsView.vue';

const snapshot = (waiting: number): LiveOperations => ({
  at: new Date().toISOString(),
  scope: { kind: 'teams', teams: [{ id: 't', name: 'Specialists' }] },
  waiting: {
    count: waiting,
    longestSince: new Date(Date.now() - 12 * 60_000).toISOString(),
    oldest: [{ id: 'c1', number: 42, since: new Date().toISOString() }],
  },
  agents: [
    { id: 'a', name: 'Priya Patel', presence: 'online', load: 3, capacity: 4 },
    { id: 'b', name: '王伟', presence: 'away', load: 1, capacity: 5 },
  ],
  sla: { atRisk: 2, breached: 1, atRiskConversations: [] },
  botToday: { since: new Date().toISOString(), timeZone: 'UTC', answered: 4, resolved: 3, handedOff: 1, deflectionRate: 0.75 },
});

const api = vi.hoisted(() => ({ live: vi.fn() }));
const socket = vi.hoisted(() => ({ listeners: [] as ((event: EventView) => void)[] }));
vi.mock('./report-api', () => ({ reportApi: { live: api.live } }));
vi.mock('../realtime/live', () => ({
  onLiveEvent: (listener: (event: EventView) => void) => {
    socket.listeners.push(listener);
    return () => {};
  },
  onLiveReady: () => () => {},
}));
const emit = (type: string) => socket.listeners.forEach((listener) => listener({ type } as EventView));
const mountView = () => mount(LiveOpsView, { global: { plugins: [i18n], stubs: { RouterLink: RouterLinkStub } } });

describe('LiveOpsView', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] }));
  afterEach(() => {
    vi.useRealTimers();
    api.live.mockReset();
    socket.listeners.length = 0;
  });

  it('shows the snapshot and reads it again once after a burst of events that move it', async () => {
    api.live.mockResolvedValueOnce(snapshot(3)).mockResolvedValue(snapshot(1));
    const wrapper = mountView();
    await flushPromises();
    expect(wrapper.get('[data-testid="live-waiting"]').text()).toBe('3');
    expect(wrapper.get('[data-testid="live-longest-wait"]').text()).toBe('Longest wait: 12m');
    expect(wrapper.get('[data-testid="live-online"]').text()).toBe('1');
    expect(wrapper.get('[data-testid="live-load"]').text()).toBe('75%');
    expect(wrapper.get('[data-testid="live-sla-at-risk"]').text()).toBe('2');
    expect(wrapper.get('[data-testid="live-bot-deflection"]').text()).toBe('75%');
    expect(wrapper.text()).toContain('Your teams: Specialists');

    emit('message.created');
    vi.advanceTimersByTime(1_000);
    expect(api.live).toHaveBeenCalledTimes(1);
    emit('conversation.assigned');
    emit('agent.presence_changed');
    vi.advanceTimersByTime(1_000);
    await flushPromises();
    expect(api.live).toHaveBeenCalledTimes(2);
    expect(wrapper.get('[data-testid="live-waiting"]').text()).toBe('1');
    wrapper.unmount();
  });

  it('says who may watch when the server refuses', async () => {
    api.live.mockRejectedValue(new ApiError(403, 'forbidden', 'Live operations are for team leads and admins.'));
    const wrapper = mountView();
    await flushPromises();
    expect(wrapper.get('[data-testid="live-forbidden"]').text()).toBe('Live operations are for team leads and admins.');
    wrapper.unmount();
  });
});
