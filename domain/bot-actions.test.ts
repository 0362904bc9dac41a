import { describe, expect, it } from 'vitest';
import {
  actionAnswer,
  actionTemplateProblem,
  extractInput,
  fillBody,
  fillUrl,
  inputQuestion,
  inputValid,
  pickField,
  pickFields,
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
