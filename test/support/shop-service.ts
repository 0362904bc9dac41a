// A shop's order API on 127.0.0.1 for the bot's HTTP actions (issue 20, item 6): GET
// /orders/:number answers the order with a field the customer must never see; the token is
// required, and SO99999 always fails. Every request is recorded with its auth header.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const shopSecret = 'Bearer shop-secret-7f3a9c';

export interface ShopService {
  url: string;
  requests: { url: string; authorization: string | undefined }[];
  close(): Promise<void>;
}

export function startShop(): Promise<ShopService> {
  const requests: ShopService['requests'] = [];
  const server = http.createServer((request, response) => {
    requests.push({ url: request.url ?? '', authorization: request.headers.authorization });
    const number = decodeURIComponent((request.url ?? '').replace(/^\/orders\//, ''));
    response.setHeader('Content-Type', 'application/json');
    if (request.headers.authorization !== shopSecret) return void response.writeHead(401).end('{"error":"unauthorized"}');
    if (number === 'SO99999') return void response.writeHead(500).end('{"error":"database down"}');
    response.writeHead(200).end(JSON.stringify({ order: { number, status: 'shipped', carrier: { name: 'DHL' }, internalNote: 'fragile-do-not-show' } }));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        requests,
        close: () => new Promise((done) => server.close(() => done())),
      }),
    );
  });
}

/** The "Order status" action on the shop, as an admin defines it (POST /api/bot-actions). */
export const orderStatusAction = (shopUrl: string) => ({
  name: 'Order status',
  method: 'GET',
  urlTemplate: `${shopUrl}/orders/{{order}}`,
  authHeaderName: 'Authorization',
  authHeaderValue: shopSecret,
  inputs: [
    {
      name: 'order',
      type: 'string',
      pattern: 'SO\\d{5}',
      description: 'order number',
      example: 'SO12345',
      question: 'What is your order number? It starts with SO.',
      questionZh: '请问您的订单号是多少？以 SO 开头。',
    },
  ],
  responseFields: [
    { name: 'status', path: 'order.status', label: 'Status' },
    { name: 'carrier', path: '/order/carrier/name', label: 'Carrier' },
  ],
  answerTemplate: 'Your order {{order}} is {{status}} with {{carrier}}.',
  timeoutMs: 2000,
  questions: ['Where is my order?', 'Track my order', 'When will my package arrive?', '我的订单到哪了', '查询订单物流'],
});
