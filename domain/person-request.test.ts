import { describe, expect, it } from 'vitest';
import { asksForPerson } from './person-request.js';

describe('asksForPerson', () => {
  it.each([
    // English
    'talk to a human',
    'Talk to a human please',
    'I want to speak to a real person',
    'Can I speak with someone?',
    'connect me to an agent',
    'transfer me to a person',
    'agent please',
    'Human!!',
    'representative',
    'I need a human',
    'can i get a live agent',
    'I would like to talk to customer service',
    'you are not a bot right? I want a person',
    "I'd like to chat with one of your staff",
    // Simplified Chinese
    '转人工',
    '人工客服',
    '我要人工服务',
    '人工',
    '请帮我转接人工',
    '找客服',
    '我想跟真人说',
    '能不能联系客服',
    // Traditional Chinese
    '轉人工',
    '人工服務',
    '我要找真人客服',
    '請幫我轉接客服',
    '客服人員在嗎',
  ])('hears a request for a person in %j', (text) => {
    expect(asksForPerson(text)).toBe(true);
  });

  it.each([
    'Where is my order?',
    'How do I get a refund?',
    'I want to return a jacket',
    'Can I transfer money to another person?',
    'The delivery person left my parcel at the wrong door',
    'My agent code does not work',
    'Do you sell artificial flowers?',
    '我的订单在哪里？',
    '怎么退款',
    '人工智能可以帮我查订单吗',
    '人工智慧客服好慢',
    '運費多少',
    '',
    '   ',
  ])('hears none in %j', (text) => {
    expect(asksForPerson(text)).toBe(false);
  });
});
