// @vitest-environment happy-dom
// TicketReplyBox on a ticket without a conversation, with the API replaced: the first reply goes
// to POST /api/tickets/:id/first-reply with an idempotency key and the ticket reloads; a colleague
// who wrote first (409 ticket_has_conversation) reloads it too; without the requester's email
// the box says why it cannot send.
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '../i18n/i18n';
import { ApiError } from '../shared/http';
import TicketReplyBox from './TicketReplyBox.vue';
import type { TicketView } from './ticket-types';

const api = vi.hoisted(() => ({ firstReply: vi.fn() }));
vi.mock('./ticket-api', () => ({ ticketApi: api }));
vi.mock('../inbox/inbox-api', () => ({ inboxApi: { listMessages: vi.fn(), sendMessage: vi.fn() } }));
const ticket = (email: string | null) => ({ id: 't1', number: 3, status: 'new', customer: { id: 'c1', name: 'Tia', email } }) as unknown as TicketView;

describe('TicketReplyBox on a ticket without a conversation', () => {
  afterEach(() => api.firstReply.mockReset());

  it('sends the first reply with Ctrl+Enter and asks the ticket to reload', async () => {
    api.firstReply.mockResolvedValue({ conversation: { id: 'conv' }, message: { id: 'm' } });
    const wrapper = mount(TicketReplyBox, { props: { conversation: null, ticket: ticket('tia@example.com') }, global: { plugins: [i18n] } });
    expect(wrapper.get('[data-testid="ticket-reply-hint"]').text()).toContain('tia@example.com');
    await wrapper.get('textarea').setValue('  Your card is on its way.  ');
    await wrapper.get('textarea').trigger('keydown', { key: 'Enter', ctrlKey: true });
    await flushPromises();
    expect(api.firstReply).toHaveBeenCalledWith('t1', 'Your card is on its way.', expect.any(String));
    expect(wrapper.emitted('started')).toHaveLength(1);
    expect((wrapper.get('textarea').element as HTMLTextAreaElement).value).toBe('');
  });

  it('reloads when a colleague wrote first, and shows other refusals', async () => {
    api.firstReply.mockRejectedValueOnce(new ApiError(409, 'ticket_has_conversation', 'The ticket has a conversation: reply in it.'));
    const wrapper = mount(TicketReplyBox, { props: { conversation: null, ticket: ticket('tia@example.com') }, global: { plugins: [i18n] } });
    await wrapper.get('textarea').setValue('Hello');
    await wrapper.get('[data-testid="ticket-reply-send"]').trigger('click');
    await flushPromises();
    expect(wrapper.emitted('started')).toHaveLength(1);
    api.firstReply.mockRejectedValueOnce(new ApiError(409, 'no_email_channel', 'No email channel is switched on to write from.'));
    await wrapper.get('[data-testid="ticket-reply-send"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="ticket-reply-error"]').text()).toContain('No email channel');
    expect(wrapper.emitted('started')).toHaveLength(1);
  });

  it('cannot send without the requester’s email, and says so', () => {
    const wrapper = mount(TicketReplyBox, { props: { conversation: null, ticket: ticket(null) }, global: { plugins: [i18n] } });
    expect(wrapper.get('[data-testid="ticket-reply-hint"]').text()).toBe('The requester has no email address: add one on their contact to reply.');
    expect(wrapper.get('textarea').attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-testid="ticket-reply-send"]').attributes('disabled')).toBeDefined();
  });
});
