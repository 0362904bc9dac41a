// A local stand-in for an OpenAI-compatible endpoint (Chat Completions, streamed or not, and
// Embeddings), for protocol tests of infra/ai/openai-ai.ts: the real `openai` client talks HTTP to
// it, the test decides each reply and reads back every request exactly as it arrived on the wire.
// No model, no network.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';

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
    }
  | {
      /** The assistant calls tools (function calling): each name with its arguments as the JSON text the model wrote. */
      toolCalls: { name: string; arguments: string }[];
      promptTokens?: number;
      completionTokens?: number;
    }
  | {
      /** A streamed reply (`stream: true`): one server-sent event per piece, in order, then usage and [DONE]. */
      chunks: string[];
      /** Awaited before piece i is sent: the test paces the stream (waits until it saw piece i - 1 arrive). */
      beforeChunk?: (index: number) => Promise<void>;
      /** The connection is cut after this many pieces: no finish reason, no [DONE]. */
      interruptAfter?: number;
      promptTokens?: number;
      completionTokens?: number;
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

/** An embeddings request as it arrived (`input` is a string or an array of them). */
export interface EmbeddingsRequestBody {
  model: string;
  input: string | string[];
  [field: string]: unknown;
}

/** The test's vectors for the inputs of one embeddings request, in their order. */
export type EmbeddingsHandler = (inputs: string[], body: EmbeddingsRequestBody) => number[][] | Promise<number[][]>;

export interface ChatCompletionsServer {
  /** The base URL to give the client, ending in /v1. */
  url: string;
  /** Every chat completion request in arrival order, failed attempts (retries) included. */
  requests: RecordedRequest[];
  /** Every embeddings request in arrival order. */
  embeddingsRequests: EmbeddingsRequestBody[];
  setHandler(handler: ChatCompletionsHandler): void;
  setEmbeddingsHandler(handler: EmbeddingsHandler): void;
  close(): Promise<void>;
}

const roughTokens = (text: string) => Math.ceil(text.length / 4);

const noHandler: ChatCompletionsHandler = () => ({ status: 500, error: { message: 'the test set no handler' }, headers: { 'x-should-retry': 'false' } });

/**
 * One server for a test file: started before its tests, closed after them, its recorded requests
 * cleared before each test. The object is filled in once the server is up (in beforeAll).
 */
export function useChatCompletionsServer(): ChatCompletionsServer {
  const server = {} as ChatCompletionsServer;
  beforeAll(async () => {
    Object.assign(server, await startChatCompletionsServer());
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
    server.embeddingsRequests.length = 0;
  });
  return server;
}

/** Starts the server on a free port of 127.0.0.1. */
export async function startChatCompletionsServer(handler: ChatCompletionsHandler = noHandler): Promise<ChatCompletionsServer> {
  const requests: RecordedRequest[] = [];
  const embeddingsRequests: EmbeddingsRequestBody[] = [];
  let current = handler;
  let embed: EmbeddingsHandler | null = null;

  const server = createServer(async (request, response) => {
    const send = (status: number, payload: object, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(payload));
    };
    if (request.method !== 'POST' || (request.url !== '/v1/chat/completions' && request.url !== '/v1/embeddings')) {
      return send(404, { error: { message: `no route for ${request.method} ${request.url}`, type: 'invalid_request_error' } });
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return send(400, { error: { message: 'the request body is not JSON', type: 'invalid_request_error' } });
    }
    if (request.url === '/v1/embeddings') {
      const embeddingsBody = parsed as EmbeddingsRequestBody;
      embeddingsRequests.push(embeddingsBody);
      if (!embed) return send(500, { error: { message: 'the test set no embeddings handler' } }, { 'x-should-retry': 'false' });
      const inputs = typeof embeddingsBody.input === 'string' ? [embeddingsBody.input] : embeddingsBody.input;
      // The client asks for base64 by default and decodes it; plain float arrays are the other format.
      const base64 = embeddingsBody.encoding_format === 'base64';
      const vectors = await embed(inputs, embeddingsBody);
      const tokens = roughTokens(inputs.join(' '));
      return send(200, {
        object: 'list',
        model: embeddingsBody.model,
        data: vectors.map((vector, index) => ({
          object: 'embedding',
          index,
          embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector,
        })),
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      });
    }
    const body = parsed as ChatCompletionsRequestBody;
    requests.push({ headers: request.headers, body });

    let reply: ChatCompletionsReply;
    try {
      reply = await current(body);
    } catch (error) {
      // A broken handler is the test's bug: say so, and tell the client not to retry it.
      return send(500, { error: { message: `handler threw: ${String(error)}` } }, { 'x-should-retry': 'false' });
    }
    if ('status' in reply) return send(reply.status, { error: reply.error }, reply.headers);
    if ('chunks' in reply) {
      const id = `chatcmpl-${requests.length}`;
      const created = Math.floor(Date.now() / 1000);
      const event = (payload: object) => response.write(`data: ${JSON.stringify(payload)}\n\n`);
      const chunk = (delta: object, finishReason: string | null) =>
        event({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta, finish_reason: finishReason }] });
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      response.flushHeaders();
      chunk({ role: 'assistant', content: '' }, null);
      for (const [index, piece] of reply.chunks.entries()) {
        if (reply.interruptAfter !== undefined && index >= reply.interruptAfter) {
          // Cut mid-stream, as a crashed server or a dropped connection would (after what was sent left).
          await new Promise((resolve) => response.write('', resolve));
          response.socket?.destroy();
          return;
        }
        await reply.beforeChunk?.(index);
        chunk({ content: piece }, null);
      }
      chunk({}, 'stop');
      const promptTokens = reply.promptTokens ?? roughTokens(body.messages.map((message) => message.content).join('\n'));
      const completionTokens = reply.completionTokens ?? roughTokens(reply.chunks.join(''));
      const options = body.stream_options as { include_usage?: boolean } | undefined;
      if (options?.include_usage)
        event({
          id,
          object: 'chat.completion.chunk',
          created,
          model: body.model,
          choices: [],
          usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
        });
      response.end('data: [DONE]\n\n');
      return;
    }

    const promptTokens = reply.promptTokens ?? roughTokens(body.messages.map((message) => message.content).join('\n'));
    if ('toolCalls' in reply) {
      const toolCalls = reply.toolCalls.map((call, index) => ({ id: `call_${index + 1}`, type: 'function', function: call }));
      const completionTokens = reply.completionTokens ?? roughTokens(JSON.stringify(toolCalls));
      return send(200, {
        id: `chatcmpl-${requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: toolCalls }, finish_reason: 'tool_calls' }],
        usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
      });
    }
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
    embeddingsRequests,
    setHandler: (next) => {
      current = next;
    },
    setEmbeddingsHandler: (next) => {
      embed = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Requests a test left hanging (timeout tests) must not keep the server open.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
