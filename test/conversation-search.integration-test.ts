// Finding conversations: GET /api/conversations filtered by priority and tag and searched by
// text (customer name or email, any message — Chinese too), always within what the caller may see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startCustomerConversation } from './support/fixtures.js';
import { startSystem, type TestSystem } from './support/system.js';

let system: TestSystem;
let admin: string;
let stolen: string;
let address: string;

beforeAll(async () => {
  system = await startSystem();
  ({ admin } = await signIn(system, 'admin'));
  const start = async (name: string, body: string) => (await startCustomerConversation(system, { name, body })).conversationId;
  stolen = await start('Wu Hua', '我的信用卡被盗刷了，请冻结');
  address = await start('Quinn Moss', 'Please update my postal address');
  await system.db.conversation.update({ where: { id: stolen }, data: { priority: 'urgent', tags: ['fraud'] } });
});
afterAll(() => system?.stop());

const ids = async (query: string, token = admin) => {
  const response = await system.request('GET', `/api/conversations?${query}`, { token });
  expect(response.status).toBe(200);
  return (response.body.conversations as { id: string }[]).map((row) => row.id).filter((id) => id === stolen || id === address);
};

describe('finding conversations', () => {
  it('searches message text (Chinese too) and customer names, case-insensitively', async () => {
    expect(await ids(`q=${encodeURIComponent('盗刷')}`)).toEqual([stolen]);
    expect(await ids('q=POSTAL')).toEqual([address]);
    expect(await ids('q=quinn')).toEqual([address]);
    // Either Chinese script finds the other: 盜刷 (Traditional) finds 盗刷.
    expect(await ids(`q=${encodeURIComponent('盜刷')}`)).toEqual([stolen]);
    // Wildcards are text: "%" matches nothing here.
    expect(await ids(`q=${encodeURIComponent('%')}`)).toEqual([]);
  });

  it('filters by priority and tag, with the search', async () => {
    expect(await ids('priority=urgent')).toEqual([stolen]);
    expect(await ids('tag=fraud')).toEqual([stolen]);
    expect(await ids(`tag=fraud&q=${encodeURIComponent('postal')}`)).toEqual([]);
  });

  it('refuses bad filters with a 400 naming them', async () => {
    const response = await system.request('GET', `/api/conversations?priority=extreme&q=${'x'.repeat(201)}`, { token: admin });
    expect(response.status).toBe(400);
    expect(response.body.error.details.map((detail: { path: string }) => detail.path).sort()).toEqual(['priority', 'q']);
  });
});
