// What a model call costs, from a price table the operator configures (AI_PRICES): per model, the
// price of 1,000 prompt tokens and of 1,000 completion tokens, in whatever currency the table is in.
// A model the table does not name has an unknown cost: null, never 0, so reports do not count
// unpriced calls as free.
import { z } from 'zod';

export interface ModelPrice {
  /** Per 1,000 prompt tokens. */
  input: number;
  /** Per 1,000 completion tokens. */
  output: number;
}

export type PriceTable = Readonly<Record<string, ModelPrice>>;

const priceTableSchema = z.record(z.string().trim().min(1), z.strictObject({ input: z.number().min(0), output: z.number().min(0) }));

/** AI_PRICES as JSON (`{"gpt-4o-mini":{"input":0.00015,"output":0.0006}}`); throws a readable error for anything else. */
export function parsePriceTable(text: string): PriceTable {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('AI_PRICES must be JSON: {"<model>": {"input": <per 1K prompt tokens>, "output": <per 1K completion tokens>}}');
  }
  const result = priceTableSchema.safeParse(json);
  if (!result.success) throw new Error(`AI_PRICES: ${result.error.issues.map((issue) => `${issue.path.join('.') || '(table)'}: ${issue.message}`).join('; ')}`);
  return result.data;
}

/**
 * The cost of one call, or null when the model has no price. The response's model may carry a
 * version suffix the table leaves out (gpt-4o-mini-2024-07-18): the longest table entry it starts
 * with counts.
 */
export function costOf(prices: PriceTable, model: string, promptTokens: number, completionTokens: number): number | null {
  const name = prices[model]
    ? model
    : Object.keys(prices)
        .filter((entry) => model.startsWith(`${entry}-`))
        .sort((a, b) => b.length - a.length)[0];
  const price = name === undefined ? undefined : prices[name];
  if (!price) return null;
  // Rounded to a millionth of the currency unit: float noise would otherwise show in reports.
  return Math.round(((promptTokens * price.input + completionTokens * price.output) / 1000) * 1e6) / 1e6;
}
