// A local stand-in for an OpenAI-compatible Chat Completions endpoint, for protocol tests of
// infra/ai/openai-ai.ts: the real `openai` client talks HTTP to it, the test decides each reply
// and reads back every request exactly as it arrived on the wire. No model, no network.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the test answers to one request: the assistant's content, or an HTTP error. */
export type ChatCompletionsReply =
  | {
      content: string;
      /** Reported in `usage`; default: about four characters per token. */
      promptTokens?: number;
      completionTokens?: number;
      /** Reported as `model`; default: the requested model, as real servers do. */
      model?: string;
    }
  | {
      status: number;
      error: object;
      /** E.g. `retry-after-ms`, which the client obeys instead of its own back-off. */
      headers?: Record<string, string>;
    };

export type ChatCompletionsHandler = (body: ChatCompletionsRequestBody) => ChatCompletionsReply | Promise<ChatCompletionsReply>;

/** The fields the tests read; anything else the client sends is kept as is. */
export interface ChatCompletionsRequestBody {
  model: string;
  messages: { role: string; content: string }[];
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: Record<string, unknown> } };
  [field: string]: unknown;
}

export interface RecordedRequest {
  headers: IncomingHttpHeaders;
  body: ChatCompletionsRequestBody;
}

export interface ChatCompletionsServer {
  /** The base URL to give the client, ending in /v1. */
  url: string;
  /** Every chat completion request in arrival order, failed attempts (retries) included. */
  requests: RecordedRequest[];
  setHandler(handler: ChatCompletionsHandler): void;
  close(): Promise<void>;
}

const roughTokens = (text: string) => Math.ceil(text.length / 4);

const noHandler: ChatCompletionsHandler = () => ({ status: 500, error: { message: 'the test set no handler' }, headers: { 'x-should-retry': 'false' } });

/** Starts the server on a free port of 127.0.0.1. */
export async function startChatCompletionsServer(handler: ChatCompletionsHandler = noHandler): Promise<ChatCompletionsServer> {
  const requests: RecordedRequest[] = [];
  let current = handler;

  const server = createServer(async (request, response) => {
    const send = (status: number, payload: object, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(payload));
    };
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
      return send(404, { error: { message: `no route for ${request.method} ${request.url}`, type: 'invalid_request_error' } });
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: ChatCompletionsRequestBody;
    try {
      body = JSON.parse(raw) as ChatCompletionsRequestBody;
    } catch {
      return send(400, { error: { message: 'the request body is not JSON', type: 'invalid_request_error' } });
    }
    requests.push({ headers: request.headers, body });

    let reply: ChatCompletionsReply;
    try {
      reply = await current(body);
    } catch (error) {
      // A broken handler is the test's bug: say so, and tell the client not to retry it.
      return send(500, { error: { message: `handler threw: ${String(error)}` } }, { 'x-should-retry': 'false' });
    }
    if ('status' in reply) return send(reply.status, { error: reply.error }, reply.headers);

    const promptTokens = reply.promptTokens ?? roughTokens(body.messages.map((message) => message.content).join('\n'));
    const completionTokens = reply.completionTokens ?? roughTokens(reply.content);
    send(200, {
      id: `chatcmpl-${requests.length}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: reply.model ?? body.model,
      choices: [{ index: 0, message: { role: 'assistant', content: reply.content }, finish_reason: 'stop' }],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    setHandler: (next) => {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Requests a test left hanging (timeout tests) must not keep the server open.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
