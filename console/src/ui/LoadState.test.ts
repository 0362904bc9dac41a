// @vitest-environment happy-dom
// What a list says instead of its rows, in both languages: the failure with Retry, "Loading…"
// before the first answer, the empty text after it.
import { mount } from '@vue/test-utils';
import { computed, ref } from 'vue';
import { afterEach, describe, expect, it } from 'vitest';
import { i18n, setLocale } from '../i18n/i18n';
import LoadState from './LoadState.vue';

function resource(state: { error?: string; loaded?: boolean }) {
  let reloads = 0;
  const of = {
    errorMessage: computed(() => state.error ?? null),
    loaded: ref(state.loaded ?? false),
    reload: () => reloads++,
  };
  return { of, reloads: () => reloads };
}

const mountState = ({ of, ...props }: { of: ReturnType<typeof resource>['of'] } & Record<string, unknown>) =>
  mount(LoadState, { props: { of, messages: 'tickets', ...props }, global: { plugins: [i18n] } });

describe('LoadState', () => {
  afterEach(() => setLocale('en'));

  it('shows the failure with the reason and retries on request', async () => {
    const { of, reloads } = resource({ error: 'The server is busy.' });
    const wrapper = mountState({ of });
    const alert = wrapper.get('[role="alert"]');
    expect(alert.text()).toContain('Could not load tickets.');
    expect(alert.text()).toContain('The server is busy.');
    await alert.get('button').trigger('click');
    expect(reloads()).toBe(1);
  });

  it('can show a failure without Retry', () => {
    const wrapper = mountState({ of: resource({ error: 'x' }).of, retryable: false });
    expect(wrapper.find('button').exists()).toBe(false);
  });

  it('says it is loading until the first answer, in the current language', async () => {
    const wrapper = mountState({ of: resource({}).of });
    expect(wrapper.text()).toBe('Loading…');
    setLocale('zh-CN');
    await wrapper.vm.$nextTick();
    expect(wrapper.text()).toMatch(/[\u4e00-\u9fff]/);
  });

  it('shows the empty text once loaded with nothing, or nothing at all when there are rows', () => {
    const empty = mountState({ of: resource({ loaded: true }).of, empty: true, emptyTestid: 'ticket-list-empty' });
    expect(empty.get('[data-testid="ticket-list-empty"]').text()).toBe('No tickets match these filters.');
    expect(mountState({ of: resource({ loaded: true }).of, empty: true, emptyText: 'No team.' }).text()).toBe('No team.');
    expect(mountState({ of: resource({ loaded: true }).of, empty: false }).text()).toBe('');
  });
});
