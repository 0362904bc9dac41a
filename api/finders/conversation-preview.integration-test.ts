// The inbox list's preview of each conversation's last message (conversation-finder.ts,
// lastMessagePreviews) in-process: the newest message, notes included, on one line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startCustomerConversation } from '../../test/support/fixtures.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';

let api: InProcessApi;
let tokens: { agent: string };

beforeAll(async () => {
  api = await startInProcessApi();
  tokens = await signIn(api, 'agent');
});
afterAll(() => api?.stop());

const listed = async (conversationId: string) => {
  const answer = await api.request('GET', '/api/conversations?q=preview', { token: tokens.agent });
  expect(answer.status).toBe(200);
  return (answer.body.conversations as { id: string; lastMessage: unknown }[]).find((row) => row.id === conversationId);
};

describe('GET /api/conversations: the last message preview', () => {
  it('previews the newest message on one line, and a note as a note', async () => {
    const chat = await startCustomerConversation(api, { name: 'Preview person', body: 'preview:\n  my card   is lost' });
    expect((await listed(chat.conversationId))?.lastMessage).toMatchObject({
      authorKind: 'customer',
      private: false,
      text: 'preview: my card is lost',
      files: 0,
      fileName: null,
      emailSubject: null,
    });
    const note = await api.request('POST', `/api/conversations/${chat.conversationId}/messages`, {
      token: tokens.agent,
      body: { body: 'check the preview ledger', private: true },
    });
    expect(note.status).toBe(201);
    expect((await listed(chat.conversationId))?.lastMessage).toMatchObject({ authorKind: 'agent', private: true, text: 'check the preview ledger' });
  });
});
