import { describe, expect, it } from 'vitest';
import { agentMessageBody, conversationListQuery, snoozeBody, tagsBody, transferBody } from './conversations.js';

const uuid = '7d3c1f3e-2b1a-4c5d-9e8f-0a1b2c3d4e5f';

describe('agentMessageBody', () => {
  it('defaults to a public reply with no mentions and no files, and trims the text', () => {
    expect(agentMessageBody.parse({ body: '  hi ' })).toEqual({ body: 'hi', private: false, mentions: [], attachmentIds: [] });
  });

  it('lets only private notes mention colleagues', () => {
    expect(agentMessageBody.safeParse({ body: 'hi', mentions: [uuid] }).error?.issues[0]).toMatchObject({
      path: ['mentions'],
      message: 'Only private notes can mention colleagues.',
    });
    expect(agentMessageBody.safeParse({ body: 'hi', private: true, mentions: [uuid] }).success).toBe(true);
  });

  it('refuses an empty text and unknown fields', () => {
    expect(agentMessageBody.safeParse({ body: '   ' }).error?.issues[0]?.message).toBe('A message cannot be empty');
    expect(agentMessageBody.safeParse({ body: 'hi', html: '<b>' }).success).toBe(false);
  });
});

describe('lifecycle bodies', () => {
  it('transfers to exactly one of an agent and a team', () => {
    expect(transferBody.safeParse({ toAgentId: uuid }).success).toBe(true);
    expect(transferBody.safeParse({}).success).toBe(false);
    expect(transferBody.safeParse({ toAgentId: uuid, toTeamId: uuid }).success).toBe(false);
  });

  it('snoozes until an instant with an offset, or until the customer writes', () => {
    expect(snoozeBody.parse({ until: '2030-01-01T09:00:00+08:00' })).toEqual({ until: '2030-01-01T09:00:00+08:00' });
    expect(snoozeBody.parse({})).toEqual({});
    expect(snoozeBody.safeParse({ until: '2030-01-01 09:00' }).success).toBe(false);
  });

  it('changes tags only when there is something to add or remove', () => {
    expect(tagsBody.parse({ add: [' vip '] })).toEqual({ add: ['vip'], remove: [] });
    expect(tagsBody.safeParse({}).error?.issues[0]?.message).toBe('Give tags to add or remove.');
  });
});

it('conversationListQuery knows the statuses and refuses unknown filters', () => {
  expect(conversationListQuery.parse({ status: 'open', q: ' 被盗 ' })).toEqual({ status: 'open', q: '被盗' });
  expect(conversationListQuery.safeParse({ status: 'sleeping' }).success).toBe(false);
  expect(conversationListQuery.safeParse({ colour: 'red' }).success).toBe(false);
});
