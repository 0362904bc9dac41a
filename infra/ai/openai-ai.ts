// The AI layer on an OpenAI-compatible Chat Completions endpoint (OpenAI itself, or a server
// such as vLLM, Ollama or llama.cpp). Every call asks for JSON shaped by a zod schema and
// validates what comes back: many compatible servers ignore `response_format`, so the schema
// in the request is a request, and the zod parse is the guarantee. Output that fails it never
// reaches a customer: classification, summary and draft fall back to the local fallback, an
// answer becomes a refusal. API errors are not caught here: the client retries transient ones, then the
// error propagates and the calling Temporal activity retries.
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { ResponseFormatJSONSchema } from 'openai/resources/shared';
import { z } from 'zod';
import { detectLanguage, type Classification } from '../../domain/classification.js';
import { routingTiers } from '../../domain/vocabulary.js';
import type { ActionTool } from '../../domain/bot-actions.js';
import type { ActionChoice, AiApi, AiUsage, AnswerResult, KnowledgeArticle, Passage, RefusalReason, TranscriptMessage, WithUsage } from './ai-api.js';
import { createDecisiveTerms } from './decisive-terms.js';
import { costOf, type PriceTable } from './prices.js';
import { noAnswerToken, parseStreamedAnswer, sourcesMarker, streamedAnswerText } from './streamed-answer.js';

export interface OpenAiOptions {
  /** The endpoint, ending in /v1; default: OpenAI's. */
  baseURL?: string;
  /** Sent as `Authorization: Bearer`; local servers that need none may leave it out. */
  apiKey?: string;
  model: string;
  /** Per attempt, in milliseconds; default 20 000. */
  timeoutMs?: number;
  /** Retries of transient failures (connection errors, 408, 409, 429, 5xx) by the client; default 2. */
  maxRetries?: number;
  /** Answer only at or above this self-reported confidence, unless the call passes its own; default 0.7. */
  answerThreshold?: number;
  /** The deterministic floor used when the model's output is invalid (the local fallback). */
  fallback: AiApi;
  /** Prices per 1K tokens by model, for each call's `usage.cost` (null for a model not in it). */
  prices?: PriceTable;
  /** Skip the verification call when the reranker scored the best passage above this; default 1 (always verify). */
  verifyBelow?: number;
}

// The topic keys agent skills use (see domain/classification.ts).
const intents = ['cards', 'transfers', 'billing', 'technical', 'general'] as const;

const classificationSchema = z.object({
  language: z.enum(['zh-CN', 'en']),
  sentiment: z.enum(['negative', 'neutral', 'positive']),
  intent: z.enum(intents),
  complexity: z.enum(routingTiers),
});

const answerSchema = z.object({
  answerable: z.boolean().describe('false when the articles do not contain the answer'),
  answer: z.string(),
  citations: z.array(z.string()).describe('ids of the articles the answer comes from'),
  confidence: z.number().min(0).max(1).describe('how sure you are that the cited articles fully support the answer'),
});

const summarySchema = z.object({ summary: z.string() });

const rerankSchema = z.object({
  ranking: z
    .array(z.object({ id: z.string(), score: z.number().describe('0 to 1: how well this passage answers the question') }))
    .describe('the passages that help answer the question, best first; leave out those that do not'),
});

const verificationSchema = z.object({
  supported: z.boolean().describe('true only when every statement of the answer follows from the passages'),
});

const actionAnswerSchema = z.object({
  answer: z.string().describe('the reply to the customer, only from the action result; "" when the result does not answer them'),
});

/** The pseudo-tool through which the model asks the customer for an action's missing input. */
const askTool = 'ask_customer';
const askArguments = z.object({ action: z.string(), input: z.string(), question: z.string().min(1).max(500) });

const draftSchema = z.object({
  draft: z.string(),
  citations: z.array(z.string()).describe('ids of the articles the draft uses'),
});

/** An output's zod schema with the response_format built from it once. zodResponseFormat
 * (openai/helpers/zod) supports zod 4 and emits the strict-mode dialect: every field required,
 * no additional properties. */
interface StructuredOutput<T> {
  schema: z.ZodType<T>;
  responseFormat: ResponseFormatJSONSchema;
}
const structured = <T>(schema: z.ZodType<T>, name: string): StructuredOutput<T> => ({ schema, responseFormat: zodResponseFormat(schema, name) });

const outputs = {
  classification: structured(classificationSchema, 'classification'),
  answer: structured(answerSchema, 'answer'),
  summary: structured(summarySchema, 'handoff_summary'),
  draft: structured(draftSchema, 'draft_reply'),
  rerank: structured(rerankSchema, 'rerank'),
  verification: structured(verificationSchema, 'verification'),
  actionAnswer: structured(actionAnswerSchema, 'action_answer'),
};

/** The actions as Chat Completions tools, and ask_customer beside them. */
const chatTools = (tools: readonly ActionTool[]): ChatCompletionTool[] => [
  ...tools.map((tool): ChatCompletionTool => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: { ...tool.parameters } },
  })),
  {
    type: 'function',
    function: {
      name: askTool,
      description: 'Ask the customer for an input an action needs that they have not given yet. The question is shown to the customer as it is.',
      parameters: {
        type: 'object',
        properties: {
          action: { type: 'string', enum: tools.map((tool) => tool.name), description: 'the action the input is for' },
          input: { type: 'string', description: "the input's name" },
          question: { type: 'string', description: "one short question, in the customer's language" },
        },
        required: ['action', 'input', 'question'],
        additionalProperties: false,
      },
    },
  },
];

const languageNames: Record<Classification['language'], string> = { 'zh-CN': 'Simplified Chinese (zh-CN)', en: 'English' };

/** A text's language, named for the prompt: models follow an explicit language better than "the same language". */
const languageOf = (text: string) => languageNames[detectLanguage(text)];

const customerText = (transcript: readonly TranscriptMessage[]) =>
  transcript
    .filter((message) => message.authorKind === 'customer')
    .map((message) => message.body)
    .join('\n');

const lastCustomerMessage = (transcript: readonly TranscriptMessage[]) =>
  [...transcript].reverse().find((message) => message.authorKind === 'customer')?.body ?? '';

/** Articles as JSON: unambiguous ids, and no way for a body to end its block early. */
const articlesJson = (articles: readonly KnowledgeArticle[]) => JSON.stringify(articles.map(({ id, title, body }) => ({ id, title, body })));

// The conversation as chat turns. The customer is the `user`; the agent and the bot are the
// `assistant`, the side the model writes for. Messages the system wrote (assignments, status
// changes) are nobody's words, so they go in as `system` context where they happened.
const roles = { customer: 'user', agent: 'assistant', bot: 'assistant', system: 'system' } as const;
const chatTurns = (transcript: readonly TranscriptMessage[]): ChatCompletionMessageParam[] =>
  transcript.map((message) => ({ role: roles[message.authorKind], content: message.body }));

/** The JSON in a reply, without the Markdown fence some servers wrap it in when they ignore `response_format`. */
function parseOutput<T>(schema: z.ZodType<T>, content: string | null | undefined): T | undefined {
  if (!content) return undefined;
  const unfenced = content.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/u, '$1');
  try {
    const result = schema.safeParse(JSON.parse(unfenced));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

/** Passages as JSON for the reranker and the verifier. */
const passagesJson = (passages: readonly Passage[]) => JSON.stringify(passages.map(({ id, title, text }) => ({ id, title, text })));

const hasText = (text: string) => /[\p{L}\p{N}]/u.test(text);

const refusal = (reason: RefusalReason, confidence: number) => ({ refused: true as const, reason, confidence });

/** The `openai` client for the endpoint (chat and embeddings alike). */
export function createOpenAiClient(options: Pick<OpenAiOptions, 'baseURL' | 'apiKey' | 'timeoutMs' | 'maxRetries'>): OpenAI {
  return new OpenAI({
    // Configuration comes from env.ts: explicit values, so the client does not pick up
    // OPENAI_BASE_URL, OPENAI_API_KEY, OPENAI_ORG_ID or OPENAI_PROJECT_ID on its own. The client
    // refuses to start without a key; local servers ignore the placeholder.
    baseURL: options.baseURL ?? 'https://api.openai.com/v1',
    apiKey: options.apiKey ?? 'not-needed',
    organization: null,
    project: null,
    timeout: options.timeoutMs ?? 20_000,
    maxRetries: options.maxRetries ?? 2,
  });
}

/** Builds the model path of `AiApi`. The client is created once and reused. */
export function createOpenAiApi(options: OpenAiOptions): AiApi {
  const { model, fallback, answerThreshold = 0.7, prices = {} } = options;
  const client = createOpenAiClient(options);

  /** A structured call: the system prompt's lines, then the user's message. */
  const ask = <T>(output: StructuredOutput<T>, system: readonly string[], user: string) =>
    complete(output, [
      { role: 'system', content: system.join('\n') },
      { role: 'user', content: user },
    ]);

  /** What a call cost: the response's model (else the configured one), its tokens, the time since `started`, the price. */
  const usageOf = (started: number, reported: { model?: string; prompt_tokens?: number; completion_tokens?: number }): AiUsage => {
    const usage = {
      provider: 'openai' as const,
      model: reported.model || model,
      promptTokens: reported.prompt_tokens ?? 0,
      completionTokens: reported.completion_tokens ?? 0,
      latencyMs: Math.round(performance.now() - started),
    };
    return { ...usage, cost: costOf(prices, usage.model, usage.promptTokens, usage.completionTokens) };
  };

  /** One non-streaming call: the validated output (undefined when invalid) and what it cost. */
  async function complete<T>({ schema, responseFormat }: StructuredOutput<T>, messages: ChatCompletionMessageParam[]) {
    const started = performance.now();
    const response = await client.chat.completions.create({ model, messages, response_format: responseFormat });
    const usage = usageOf(started, { model: response.model, ...response.usage });
    return { output: parseOutput(schema, response.choices[0]?.message.content), usage };
  }

  /**
   * One streamed call: `onDelta` gets each new piece of the answer's visible text (streamed-answer.ts
   * holds back the sources line and the refusal token). `text` is undefined when the stream broke
   * off or ended without a finish reason. Errors before the first byte propagate (the client has retried).
   */
  async function stream(messages: ChatCompletionMessageParam[], onDelta: (text: string) => void | Promise<void>) {
    const started = performance.now();
    const chunks = await client.chat.completions.create({ model, messages, stream: true, stream_options: { include_usage: true } });
    let full = '';
    let sent = '';
    let finished = false;
    let reported: { model?: string; prompt_tokens?: number; completion_tokens?: number } = {};
    const forward = async (visible: string) => {
      if (visible.length <= sent.length || !visible.startsWith(sent)) return;
      const delta = visible.slice(sent.length);
      sent = visible;
      await onDelta(delta);
    };
    try {
      for await (const chunk of chunks) {
        reported = { ...reported, model: chunk.model || reported.model, ...chunk.usage };
        const choice = chunk.choices[0];
        if (choice?.delta?.content) {
          full += choice.delta.content;
          await forward(streamedAnswerText(full, { final: false }));
        }
        if (choice?.finish_reason) finished = true;
      }
    } catch {
      finished = false;
    }
    const usage = usageOf(started, reported);
    if (!finished) return { reply: undefined, usage };
    const reply = parseStreamedAnswer(full);
    if (!reply.refused) await forward(reply.text);
    return { reply, usage };
  }

  return {
    provider: 'openai',
    verifyBelow: options.verifyBelow ?? 1,

    async classify(text, customer = { vip: false }) {
      const { output, usage } = await complete(outputs.classification, [
        {
          role: 'system',
          content: [
            'You classify one customer-service message so it reaches the right team. Reply with JSON only.',
            "language: 'zh-CN' when the customer writes Chinese, else 'en'.",
            "sentiment: the customer's mood.",
            'intent: cards (bank cards, PIN, ATM, declined payments), transfers (transfers, IBAN, SWIFT, wires), billing (refunds, fees, charges, invoices), technical (errors, the app, login, the API), else general.',
            'complexity: self_service when a help-center article can answer it, junior for routine help with the account, expert for risky, disputed or technical cases.',
          ].join('\n'),
        },
        { role: 'user', content: text },
      ]);
      // The rules still classify when the model did not; the tokens were spent all the same.
      if (!output) return { ...(await fallback.classify(text, customer)), usage };
      const tier = output.complexity === 'expert' || customer.vip ? 'expert' : 'junior';
      return { language: output.language, sentiment: output.sentiment, intent: output.intent, tier, complexity: output.complexity, usage };
    },

    async answer(question, articles, answerOptions = {}): Promise<WithUsage<AnswerResult>> {
      const free: AiUsage = { provider: 'openai', model, promptTokens: 0, completionTokens: 0, latencyMs: 0, cost: 0 };
      if (!hasText(question)) return { ...refusal('empty_question', 0), usage: free };
      if (articles.length === 0) return { ...refusal('no_articles', 0), usage: free };
      const threshold = answerOptions.threshold ?? answerThreshold;
      const rules = [
        "You answer a customer's question for a support team, using ONLY the knowledge articles below.",
        `- Answer in ${languageOf(question)}, the language of the question, in a few sentences.`,
        '- Quote the relevant part whole: when a sentence ends with a colon, include the list, table rows or sentences it introduces; keep numbered steps complete, one per line. Never end on a colon.',
        '- Use only what the articles say; add no outside knowledge, no guesses, no promises.',
      ];

      /** The checks every answer passes, streamed or not, before anyone sees it as the bot's. */
      const checked = (answer: string, cited: readonly string[], confidence: number, usage: AiUsage): WithUsage<AnswerResult> => {
        const known = new Set(articles.map((article) => article.id));
        const citations = [...new Set(cited)];
        // A made-up id means the model did not answer from the articles: the answer is not shown.
        if (citations.length === 0 || citations.some((id) => !known.has(id))) return { ...refusal('invalid_citation', confidence), usage };
        if (confidence < threshold) return { ...refusal('low_confidence', confidence), usage };
        // The question names what tells another given article from the cited one (星付 / 星贷,
        // unfreeze / freeze): the customer is asked which one (decisive-terms.ts).
        const decisive = createDecisiveTerms(articles);
        const sibling = articles.find(
          (article) => article.id !== citations[0] && decisive.check(question, citations[0]!, article.id, 1, { namedOnly: true }).kind === 'ambiguous',
        );
        if (sibling) return { ...refusal('ambiguous', confidence), choices: [citations[0]!, sibling.id], usage };
        return { answer: answer.trim(), citations, confidence, usage };
      };

      if (answerOptions.onDelta) {
        // Streamed: plain text the customer can watch grow, then the sources line (streamed-answer.ts).
        // The model gives no confidence here: the caller's (the reranker's score) stands.
        const confidence = answerOptions.confidence ?? 0;
        const { reply, usage } = await stream(
          [
            {
              role: 'system',
              content: [
                ...rules,
                `- Write the answer as plain text. Then, on a line of its own, write ${sourcesMarker} and the ids of the articles you used, separated by commas.`,
                `- When the articles do not contain the answer, reply with exactly ${noAnswerToken} and nothing else.`,
                `Articles (JSON): ${articlesJson(articles)}`,
              ].join('\n'),
            },
            { role: 'user', content: question },
          ],
          answerOptions.onDelta,
        );
        if (!reply) return { ...refusal('interrupted', confidence), usage };
        if (reply.refused || !hasText(reply.text)) return { ...refusal('not_in_articles', confidence), usage };
        return checked(reply.text, reply.sources, confidence, usage);
      }

      const { output, usage } = await complete(outputs.answer, [
        {
          role: 'system',
          content: [
            ...rules,
            '- Put the id of every article you used in citations.',
            '- When the articles do not contain the answer, set answerable to false, answer to "" and citations to [].',
            '- confidence: 0 to 1, how sure you are that the cited articles fully support your answer.',
            'Reply with JSON only.',
            `Articles (JSON): ${articlesJson(articles)}`,
          ].join('\n'),
        },
        { role: 'user', content: question },
      ]);
      // Unusable output is treated like "the articles do not hold it": the bot stays silent
      // and a person answers, which is the honest outcome when nothing checked out.
      if (!output) return { ...refusal('not_in_articles', 0), usage };
      if (!output.answerable || !hasText(output.answer)) return { ...refusal('not_in_articles', output.confidence), usage };
      return checked(output.answer, output.citations, output.confidence, usage);
    },

    async rerank(question, passages) {
      const { output, usage } = await ask(
        outputs.rerank,
        [
          "You rank knowledge-base passages for a customer's question in a support chat.",
          '- List the ids of the passages that help answer the question, best first, each with a score from 0 to 1: 1 when the passage answers it fully, 0 when it does not help.',
          '- Leave out passages that do not help. Judge by meaning, not shared words: a passage about the opposite action (borrow vs repay, freeze vs unfreeze) or another product does not help.',
          'Reply with JSON only.',
          `Passages (JSON): ${passagesJson(passages)}`,
        ],
        question,
      );
      // Defensive: unknown ids and repeats are dropped, scores clamped to [0, 1]; nothing usable left
      // (or no JSON at all) is "malformed", and the caller keeps the lexical order.
      const known = new Set(passages.map((passage) => passage.id));
      const seen = new Set<string>();
      const ranked = (output?.ranking ?? []).flatMap(({ id, score }) => {
        if (!known.has(id) || seen.has(id) || !Number.isFinite(score)) return [];
        seen.add(id);
        return [{ id, score: Math.min(1, Math.max(0, score)) }];
      });
      if (!output || (ranked.length === 0 && output.ranking.length > 0)) return { malformed: true as const, usage };
      return { ranked: ranked.sort((a, b) => b.score - a.score), usage };
    },

    async verify(question, answer, passages) {
      const { output, usage } = await ask(
        outputs.verification,
        [
          'You check an answer a support bot is about to send to a customer.',
          '- supported: true only when everything the answer states follows from the passages below; false when it adds, changes or contradicts anything, or answers a different question.',
          'Reply with JSON only.',
          `Passages (JSON): ${passagesJson(passages)}`,
        ],
        `Question: ${question}\n\nAnswer: ${answer}`,
      );
      // An unusable verdict is not a yes.
      return { supported: output?.supported === true, usage };
    },

    async chooseAction(transcript, tools) {
      const started = performance.now();
      const response = await client.chat.completions.create({
        model,
        messages: [
          {
            role: 'system',
            content: [
              'You are the support bot of a customer-service team. The tools are actions you can run for the customer.',
              '- When the customer asks for what an action does and has given every input it needs, call that action with exactly the values the customer wrote. Never invent, guess or complete a value.',
              `- When the customer asks for what an action does but an input is missing, call ${askTool} with the action, the input's name and one short question, in ${languageOf(customerText(transcript))}.`,
              '- When no action fits, call no tool and reply NONE.',
            ].join('\n'),
          },
          ...chatTurns(transcript),
        ],
        tools: chatTools(tools),
        tool_choice: 'auto',
      });
      const usage = usageOf(started, { model: response.model, ...response.usage });
      const call = response.choices[0]?.message.tool_calls?.[0];
      if (!call || call.type !== 'function') return { kind: 'none', usage };
      let args: unknown;
      try {
        args = JSON.parse(call.function.arguments);
      } catch {
        args = undefined;
      }
      if (call.function.name !== askTool) return { kind: 'call', tool: call.function.name, arguments: args, usage };
      const ask = askArguments.safeParse(args);
      // An unusable question is no choice: the caller falls back to slot filling.
      const choice: ActionChoice =
        ask.success && hasText(ask.data.question)
          ? { kind: 'ask', tool: ask.data.action, input: ask.data.input, question: ask.data.question.trim() }
          : { kind: 'none' };
      return { ...choice, usage };
    },

    async actionReply(transcript, { tool, values }, result) {
      const callId = 'call_1';
      const { output, usage } = await complete(outputs.actionAnswer, [
        {
          role: 'system',
          content: [
            'You are the support bot of a customer-service team. You ran an action for the customer; its result is the tool message.',
            `- Answer the customer in ${languageOf(customerText(transcript))}, in one or two sentences, using ONLY the values in the result and the inputs the action was called with.`,
            '- Add nothing the result does not say: no dates, reasons, promises or advice.',
            'Reply with JSON only.',
          ].join('\n'),
        },
        ...chatTurns(transcript),
        { role: 'assistant', content: null, tool_calls: [{ id: callId, type: 'function', function: { name: tool.name, arguments: JSON.stringify(values) } }] },
        { role: 'tool', tool_call_id: callId, content: JSON.stringify(result) },
      ]);
      return { answer: output && hasText(output.answer) ? output.answer.trim() : null, usage };
    },

    async summarize(transcript) {
      const { output, usage } = await complete(outputs.summary, [
        {
          role: 'system',
          content: [
            'You write the hand-off note an agent reads before taking this conversation over from the bot, so the customer never has to repeat themselves.',
            `Write it in ${languageOf(customerText(transcript))}, the customer's language, in two to four short lines:`,
            'what the customer wants, what was already tried or answered, and what they still need.',
            'Only facts from the conversation. Reply with JSON only.',
          ].join('\n'),
        },
        ...chatTurns(transcript),
      ]);
      if (!output || !hasText(output.summary)) return { ...(await fallback.summarize(transcript)), usage };
      return { summary: output.summary.trim(), usage };
    },

    async draftReply(transcript, articles) {
      const { output, usage } = await complete(outputs.draft, [
        {
          role: 'system',
          content: [
            "You draft the support agent's next reply to this customer; the agent edits it before sending.",
            `Write it in ${languageOf(lastCustomerMessage(transcript))}, the customer's language: friendly, short, concrete.`,
            'Use the knowledge articles below when they help and put the ids of those you used in citations.',
            'Never invent policies, amounts or deadlines that are not in the articles or the conversation;',
            'when nothing answers the question, say you are looking into it. Reply with JSON only.',
            articles.length ? `Articles (JSON): ${articlesJson(articles)}` : 'There are no articles for this conversation.',
          ].join('\n'),
        },
        ...chatTurns(transcript),
      ]);
      if (!output || !hasText(output.draft)) return { ...(await fallback.draftReply(transcript, articles)), usage };
      const known = new Set(articles.map((article) => article.id));
      return { draft: output.draft.trim(), citations: [...new Set(output.citations)].filter((id) => known.has(id)), usage };
    },
  };
}
