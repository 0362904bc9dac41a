import { describe, expect, it } from 'vitest';
import {
  actionAnswer,
  actionIdOfTool,
  actionTemplateProblem,
  actionTool,
  extractInput,
  fillBody,
  fillUrl,
  inputQuestion,
  inputValid,
  pickField,
  pickFields,
  validateToolArguments,
  type ActionInputSpec,
} from './bot-actions.js';

const order: ActionInputSpec = { name: 'order', type: 'string', pattern: '[A-Z]{2}\\d{5}', description: 'order number', example: 'SO12345' };

describe('templates', () => {
  it('URL-encodes each input so a value cannot add a path, a query or a host', () => {
    expect(fillUrl('https://shop.example.com/orders/{{order}}?lang={{ lang }}', { order: '../admin?x=1#', lang: 'zh CN' })).toBe(
      'https://shop.example.com/orders/..%2Fadmin%3Fx%3D1%23?lang=zh%20CN',
    );
    expect(fillUrl('https://shop.example.com/o/{{order}}', { order: '订单@evil.com' })).toBe('https://shop.example.com/o/%E8%AE%A2%E5%8D%95%40evil.com');
  });

  it('fills a JSON body with escaped string contents, so it stays valid JSON', () => {
    const body = fillBody('{"order": "{{order}}", "note": "x"}', { order: 'a"b\\c\n' });
    expect(JSON.parse(body)).toEqual({ order: 'a"b\\c\n', note: 'x' });
  });

  it('refuses templates that name unknown inputs, and bodies that are not JSON', () => {
    const base = { urlTemplate: 'https://shop.example.com/{{order}}', answerTemplate: 'Order {{order}} is {{status}}.', inputs: [order] };
    const fields = [{ name: 'status', path: 'status', label: 'Status' }];
    expect(actionTemplateProblem({ ...base, responseFields: fields })).toBeNull();
    expect(actionTemplateProblem({ ...base, urlTemplate: 'https://shop.example.com/{{id}}', responseFields: fields })).toMatch(/\{\{id\}\}/);
    expect(actionTemplateProblem({ ...base, responseFields: [] })).toMatch(/\{\{status\}\}/);
    expect(actionTemplateProblem({ ...base, bodyTemplate: '{"order": {{order}}', responseFields: fields })).toMatch(/JSON/);
  });
});

describe('slot extraction', () => {
  it('finds an order number in an English message by its pattern', () => {
    expect(extractInput(order, 'Where is my order SO12345? It is late')).toBe('SO12345');
    expect(extractInput(order, 'where is my order')).toBeNull();
  });

  it('finds it in a Chinese message, full-width characters included', () => {
    expect(extractInput(order, '我的订单号是ＳＯ１２３４５，什么时候到？')).toBe('SO12345');
    expect(extractInput({ name: 'phone', type: 'number', description: '手机号' }, '手机号13800138000谢谢')).toBe('13800138000');
  });

  it('takes a free-text answer whole only when the bot asked for it', () => {
    const city: ActionInputSpec = { name: 'city', type: 'string', description: 'city' };
    expect(extractInput(city, 'Berlin')).toBeNull();
    expect(extractInput(city, '  Berlin ', { asked: true })).toBe('Berlin');
  });

  it('validates a value against the whole pattern and the type', () => {
    expect(inputValid(order, 'SO12345')).toBe(true);
    expect(inputValid(order, 'SO123456')).toBe(false);
    expect(inputValid({ name: 'n', type: 'number', description: 'n' }, '12a')).toBe(false);
  });

  it('asks in the customer language, and says so when the answer was not valid', () => {
    expect(inputQuestion(order, 'en')).toBe('What is your order number?');
    expect(inputQuestion(order, 'zh-CN')).toBe('请告诉我您的order number。');
    expect(inputQuestion({ ...order, questionZh: '请问您的订单号是多少？' }, 'zh-CN', { again: true })).toMatch(/^这似乎不是有效的.*请问您的订单号是多少？$/);
  });
});

describe('response fields', () => {
  const response = { order: { status: 'shipped', items: [{ sku: 'A1', qty: 2 }] }, carrier: { name: 'DHL' }, eta: null };

  it('picks scalars by JSON pointer and by dotted path, never an object or a list', () => {
    expect(pickField(response, '/order/status')).toBe('shipped');
    expect(pickField(response, 'order.items[0].qty')).toBe('2');
    expect(pickField(response, 'order.items.0.sku')).toBe('A1');
    expect(pickField(response, 'carrier')).toBeNull();
    expect(pickField(response, 'order.items')).toBeNull();
    expect(pickField(response, 'eta')).toBeNull();
    expect(pickField(response, 'order.__proto__')).toBeNull();
  });

  it('answers through the template, or with one labelled line per field found', () => {
    const fields = [
      { name: 'status', path: 'order.status', label: 'Status' },
      { name: 'carrier', path: 'carrier.name', label: 'Carrier' },
      { name: 'eta', path: 'eta', label: 'Arrives' },
    ];
    const picked = pickFields(response, fields);
    expect(picked).toEqual({ status: 'shipped', carrier: 'DHL' });
    expect(actionAnswer('Order {{order}} is {{status}} with {{carrier}}.', fields, picked, { order: 'SO12345' })).toBe('Order SO12345 is shipped with DHL.');
    expect(actionAnswer('', fields, picked, {})).toBe('Status: shipped\nCarrier: DHL');
  });
});

describe('actions as tools (function calling)', () => {
  const action = { id: '0b6c3e1a-7d7e-4c3a-9a55-2f1d6f3c9e01', name: 'Order status', description: 'Where an order is', questions: ['Where is my order?'] };
  const count: ActionInputSpec = { name: 'count', type: 'number', description: 'number of parcels' };

  it('describes each input with its type, pattern and questions, and requires every one and nothing else', () => {
    const tool = actionTool({ ...action, inputs: [{ ...order, question: 'Your order number?', questionZh: '您的订单号？' }, count] });
    expect(tool.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(actionIdOfTool(tool.name)).toBe(action.id);
    expect(tool.description).toContain('Customers ask: Where is my order?');
    expect(tool.parameters).toEqual({
      type: 'object',
      properties: {
        order: { type: 'string', pattern: '[A-Z]{2}\\d{5}', description: 'order number; asked as: Your order number? / 您的订单号？; e.g. SO12345' },
        count: { type: 'number', description: 'number of parcels' },
      },
      required: ['order', 'count'],
      additionalProperties: false,
    });
  });

  it("accepts the model's arguments only when each input passes its pattern or type", () => {
    expect(validateToolArguments([order, count], { order: 'ＳＯ12345', count: 2 })).toEqual({ ok: true, values: { order: 'SO12345', count: '2' } });
    expect(validateToolArguments([order], { order: 'SO12' })).toEqual({ ok: false, problem: 'order is not a valid order number' });
    // The pattern must match the whole value: a valid number with more around it is refused.
    expect(validateToolArguments([order], { order: 'SO12345/../admin' }).ok).toBe(false);
    expect(validateToolArguments([order], {})).toEqual({ ok: false, problem: 'order is missing' });
    expect(validateToolArguments([order], { order: 'SO12345', url: 'http://10.0.0.1' })).toEqual({ ok: false, problem: 'no input is called url' });
    expect(validateToolArguments([order], { order: 12345 }).ok).toBe(false);
    expect(validateToolArguments([count], { count: 'many' }).ok).toBe(false);
    expect(validateToolArguments([order], '{"order":"SO12345"}').ok).toBe(false);
  });
});
