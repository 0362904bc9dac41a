import { describe, expect, it } from 'vitest';
import { conversationWorkflowId, emailDeliveryWorkflowId, ticketWorkflowId } from './workflow-ids.js';

const id = '0b9d6c3e-6a55-4b2f-9a3c-1f2e3d4c5b6a';

describe('workflow ids', () => {
  it('derives a conversation workflow id as conversation-<database id>', () => {
    expect(conversationWorkflowId(id)).toBe(`conversation-${id}`);
  });

  it('derives a ticket workflow id as ticket-<database id>', () => {
    expect(ticketWorkflowId(id)).toBe(`ticket-${id}`);
  });

  it('gives the same id every time, so a second start is refused by Temporal', () => {
    expect(conversationWorkflowId(id)).toBe(conversationWorkflowId(id));
  });

  it('gives different records different ids', () => {
    expect(conversationWorkflowId('a')).not.toBe(conversationWorkflowId('b'));
  });

  it('keeps a conversation and a ticket with the same database id apart', () => {
    expect(conversationWorkflowId(id)).not.toBe(ticketWorkflowId(id));
  });

  it('derives an email delivery workflow id from the message id, apart from the conversation and the ticket', () => {
    expect(emailDeliveryWorkflowId(id)).toBe(`email-delivery-${id}`);
    expect([conversationWorkflowId(id), ticketWorkflowId(id)]).not.toContain(emailDeliveryWorkflowId(id));
  });
});
