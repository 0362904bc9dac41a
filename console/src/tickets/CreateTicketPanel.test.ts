// @vitest-environment happy-dom
// "Create ticket" from a conversation: "Assign to me" is ticked when the conversation is the
// agent's own, and the new ticket is then assigned to them before it opens; unticked, it is not.
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { session } from '../auth/session';
import { i18n } from '../i18n/i18n';
import type { ConversationView, UserView } from '../shared/wire-types';
import CreateTicketPanel from './CreateTicketPanel.vue';

const api = vi.hoisted(() => ({ createFromConversation: vi.fn(), assign: vi.fn(), pushed: [] as string[] }));
vi.mock('./ticket-api', () => ({ ticketApi: { createFromConversation: api.createFromConversation, assign: api.assign } }));
vi.mock('vue-router', () => ({ useRouter: () => ({ push: async (to: string) => api.pushed.push(to) }) }));
api.createFromConversation.mockResolvedValue({ ticket: { id: 't1', assigneeId: null } });
api.assign.mockResolvedValue({ ticket: { id: 't1', assigneeId: 'me' } });

const conversation = (assigneeId: string | null) => ({ id: 'c1', number: 3, priority: 'normal', assigneeId }) as ConversationView;

async function create(assigneeId: string | null, untick = false) {
  const wrapper = mount(CreateTicketPanel, {
    props: { conversation: conversation(assigneeId), suggestedSubject: 'Refund not received' },
    global: { plugins: [i18n] },
    attachTo: document.body,
  });
  await wrapper.get('[data-testid="create-ticket-button"]').trigger('click');
  const box = wrapper.get('[data-testid="create-ticket-assign-me"]');
  const ticked = (box.element as HTMLInputElement).checked;
  if (untick) await box.setValue(false);
  await wrapper.get('form').trigger('submit');
  await flushPromises();
  wrapper.unmount();
  return ticked;
}

describe('CreateTicketPanel, assign to me', () => {
  afterEach(() => {
    api.assign.mockClear();
    api.pushed.length = 0;
  });

  it('is ticked for my own conversation and assigns the new ticket to me before opening it', async () => {
    session.user = { id: 'me' } as UserView;
    expect(await create('me')).toBe(true);
    expect(api.assign).toHaveBeenCalledWith('t1', 'me');
    expect(api.pushed).toEqual(['/tickets/t1']);
  });

  it('is unticked for a conversation of someone else, and unticked assigns nobody', async () => {
    session.user = { id: 'me' } as UserView;
    expect(await create('someone')).toBe(false);
    expect(await create('me', true)).toBe(true);
    expect(api.assign).not.toHaveBeenCalled();
    expect(api.pushed).toEqual(['/tickets/t1', '/tickets/t1']);
  });
});
