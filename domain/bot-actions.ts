// The pure half of the bot's HTTP actions (issue 20, item 6): filling the URL and body templates
// with what the customer gave, finding an input in a customer's message (slot filling), checking
// it, asking for it in the customer's language, and picking the configured fields out of a
// response for the answer. No I/O: the API (save, test) and the worker (the call) share it.
import { compilePattern, PatternError } from './rules/pattern.js';

export interface ActionInputSpec {
  name: string;
  type: 'string' | 'number';
  pattern?: string;
  description: string;
  example?: string;
  question?: string;
  questionZh?: string;
}

export interface ActionFieldSpec {
  name: string;
  path: string;
  label: string;
}

export type ActionLanguage = 'en' | 'zh-CN';

const placeholder = /\{\{\s*([a-zA-Z][a-zA-Z0-9_]*)\s*\}\}/g;

/** The placeholder names a template uses, in order, each once. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(placeholder)].map((match) => match[1]!))];
}

/** The URL with each `{{input}}` URL-encoded (a value cannot add a path segment, a query or a host). */
export function fillUrl(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(placeholder, (_whole, name: string) => encodeURIComponent(values[name] ?? ''));
}

/**
 * The JSON body with each `{{input}}` filled as the content of a JSON string (quotes and
 * backslashes escaped), so `{"order": "{{order}}"}` stays valid JSON whatever the customer typed.
 */
export function fillBody(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(placeholder, (_whole, name: string) => JSON.stringify(values[name] ?? '').slice(1, -1));
}

/** The answer with `{{field}}` and `{{input}}` filled as plain text; unknown names become empty. */
export function fillAnswer(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(placeholder, (_whole, name: string) => values[name] ?? '');
}

/** Tries of an action's call (the first and the retries) when it times out or answers 5xx/429: the activity's retry policy. */
export const actionCallAttempts = 3;

/** Longest value taken from a message or a response. */
export const maxValueLength = 200;

/** Full-width digits and letters (１２３, ＡＢ) as their ASCII forms: how Chinese keyboards often type them. */
const normalized = (text: string) => text.normalize('NFKC');

const numberPattern = /-?\d+(?:\.\d+)?/;

/**
 * The input's value found in a customer's message, or null. With a pattern, its first occurrence;
 * a number, the first number; a free string only when the message answers the bot's question
 * for it (`asked`): the whole message then.
 */
export function extractInput(input: ActionInputSpec, message: string, options: { asked?: boolean } = {}): string | null {
  const text = normalized(message).trim();
  if (input.pattern) {
    try {
      const matcher = compilePattern(input.pattern).matcher(text);
      return matcher.find() ? (matcher.group(0) ?? '').slice(0, maxValueLength) || null : null;
    } catch (error) {
      if (error instanceof PatternError) return null;
      throw error;
    }
  }
  if (input.type === 'number') return numberPattern.exec(text)?.[0] ?? null;
  return options.asked && text !== '' ? text.slice(0, maxValueLength) : null;
}

/** Whether a value is acceptable for the input: the pattern matches it whole, a number is one. */
export function inputValid(input: ActionInputSpec, value: string): boolean {
  if (value === '' || value.length > maxValueLength) return false;
  if (input.type === 'number' && !/^-?\d+(?:\.\d+)?$/.test(value)) return false;
  if (!input.pattern) return true;
  try {
    return compilePattern(input.pattern).matches(value);
  } catch (error) {
    if (error instanceof PatternError) return false;
    throw error;
  }
}

/** What the bot asks for the input, in the customer's language; `again` when the last answer was not valid. */
export function inputQuestion(input: ActionInputSpec, language: ActionLanguage, options: { again?: boolean } = {}): string {
  if (language === 'zh-CN') {
    const question = input.questionZh ?? `请告诉我您的${input.description}。`;
    return options.again ? `这似乎不是有效的${input.description}。${question}` : question;
  }
  const question = input.question ?? `What is your ${input.description}?`;
  return options.again ? `That does not look like a valid ${input.description}. ${question}` : question;
}

/** The path's steps: a JSON pointer (/items/0/status) or a dotted path (items.0.status, items[0].status). */
export function pathSteps(path: string): string[] {
  if (path.startsWith('/'))
    return path
      .slice(1)
      .split('/')
      .map((step) => step.replace(/~1/g, '/').replace(/~0/g, '~'));
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((step) => step !== '');
}

/** The scalar at the path as text (null when absent, or when it is an object or a list: never raw JSON). */
export function pickField(response: unknown, path: string): string | null {
  let value: unknown = response;
  for (const step of pathSteps(path)) {
    if (Array.isArray(value) && /^\d+$/.test(step)) value = value[Number(step)];
    else if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, step))
      value = (value as Record<string, unknown>)[step];
    else return null;
  }
  if (typeof value === 'string') return value.slice(0, maxValueLength);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** The configured fields of a response, by name; absent ones are left out. */
export function pickFields(response: unknown, fields: readonly ActionFieldSpec[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const field of fields) {
    const value = pickField(response, field.path);
    if (value !== null) picked[field.name] = value;
  }
  return picked;
}

/**
 * The bot's answer from a response: the template filled with the inputs and the picked fields,
 * or, without a template, one "label: value" line per field found.
 */
export function actionAnswer(
  template: string,
  fields: readonly ActionFieldSpec[],
  picked: Readonly<Record<string, string>>,
  inputs: Readonly<Record<string, string>>,
): string {
  if (template.trim() !== '') return fillAnswer(template, { ...inputs, ...picked }).trim();
  return fields.flatMap((field) => (picked[field.name] === undefined ? [] : [`${field.label}: ${picked[field.name]}`])).join('\n');
}

/** The apology before a person takes over, when the call failed. */
export function actionFailedApology(language: ActionLanguage): string {
  return language === 'zh-CN'
    ? '抱歉，我暂时无法查询到这些信息。我已为您转接人工客服，请稍候。'
    : "Sorry, I couldn't look that up just now. I'm passing you to a person, who will reply shortly.";
}

/**
 * What is wrong with a definition's templates, or null: placeholders that name no input (URL and
 * body) or no input or field (answer), a body that is not JSON once filled with the examples.
 */
export function actionTemplateProblem(definition: {
  urlTemplate: string;
  bodyTemplate?: string | null;
  answerTemplate: string;
  inputs: readonly ActionInputSpec[];
  responseFields: readonly ActionFieldSpec[];
}): string | null {
  const inputNames = new Set(definition.inputs.map((input) => input.name));
  if (inputNames.size !== definition.inputs.length) return 'Two inputs have the same name.';
  const fieldNames = new Set(definition.responseFields.map((field) => field.name));
  if (fieldNames.size !== definition.responseFields.length) return 'Two response fields have the same name.';
  const unknownIn = (template: string, known: (name: string) => boolean) => placeholdersOf(template).find((name) => !known(name));
  const inUrl = unknownIn(definition.urlTemplate, (name) => inputNames.has(name));
  if (inUrl) return `The URL uses {{${inUrl}}}, which is not an input.`;
  if (definition.bodyTemplate) {
    const inBody = unknownIn(definition.bodyTemplate, (name) => inputNames.has(name));
    if (inBody) return `The body uses {{${inBody}}}, which is not an input.`;
    const examples = Object.fromEntries(definition.inputs.map((input) => [input.name, input.example ?? '1']));
    try {
      JSON.parse(fillBody(definition.bodyTemplate, examples));
    } catch {
      return 'The body is not valid JSON once its inputs are filled.';
    }
  }
  const inAnswer = unknownIn(definition.answerTemplate, (name) => inputNames.has(name) || fieldNames.has(name));
  if (inAnswer) return `The answer uses {{${inAnswer}}}, which is neither an input nor a response field.`;
  return null;
}

// Function calling (the model path): each enabled action is a tool whose parameters are its
// inputs. The model only proposes; what it proposes is checked here like a customer's message.

/** An action offered to the model: its tool name, what it does, and the JSON schema of its inputs. */
export interface ActionTool {
  name: string;
  description: string;
  parameters: {
    type: 'object';
    properties: Record<string, { type: 'string' | 'number'; description: string; pattern?: string }>;
    required: string[];
    additionalProperties: false;
  };
}

/** The tool's name for an action (the ids are uuids: within the [a-zA-Z0-9_-]{1,64} tool names allow). */
export const actionToolName = (actionId: string) => `action-${actionId}`;

/** The action id a tool name stands for, or null for a name no action gave. */
export const actionIdOfTool = (name: string): string | null => (name.startsWith('action-') ? name.slice('action-'.length) : null);

/**
 * An action as a tool: every input required, described by its description and the question the
 * bot would ask for it (in both languages), with its pattern; no other argument allowed.
 */
export function actionTool(action: {
  id: string;
  name: string;
  description: string;
  questions: readonly string[];
  inputs: readonly ActionInputSpec[];
}): ActionTool {
  const properties: ActionTool['parameters']['properties'] = {};
  for (const input of action.inputs) {
    const asked = [input.question, input.questionZh].filter(Boolean).join(' / ');
    properties[input.name] = {
      type: input.type,
      description: [input.description, asked && `asked as: ${asked}`, input.example && `e.g. ${input.example}`].filter(Boolean).join('; '),
      ...(input.pattern ? { pattern: input.pattern } : {}),
    };
  }
  const examples = action.questions.slice(0, 5).join(' | ');
  return {
    name: actionToolName(action.id),
    description: [action.name, action.description, examples && `Customers ask: ${examples}`].filter(Boolean).join('. ').slice(0, 1000),
    parameters: { type: 'object', properties, required: action.inputs.map((input) => input.name), additionalProperties: false },
  };
}

/**
 * The model's arguments for an action, checked as strictly as a customer's message: an object with
 * exactly the action's inputs, each a string (or, for a number input, a number) that inputValid
 * accepts (the pattern matched whole, with RE2). Anything else is refused with the reason: the
 * model's arguments are never trusted.
 */
export function validateToolArguments(
  inputs: readonly ActionInputSpec[],
  args: unknown,
): { ok: true; values: Record<string, string> } | { ok: false; problem: string } {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return { ok: false, problem: 'the arguments are not an object' };
  const given = args as Record<string, unknown>;
  const unknown = Object.keys(given).find((key) => !inputs.some((input) => input.name === key));
  if (unknown !== undefined) return { ok: false, problem: `no input is called ${unknown.slice(0, 40)}` };
  const values: Record<string, string> = {};
  for (const input of inputs) {
    const raw = given[input.name];
    const value =
      typeof raw === 'string' ? raw.normalize('NFKC').trim() : input.type === 'number' && typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : null;
    if (value === null) return { ok: false, problem: `${input.name} is missing` };
    if (!inputValid(input, value)) return { ok: false, problem: `${input.name} is not a valid ${input.description}` };
    values[input.name] = value;
  }
  return { ok: true, values };
}
