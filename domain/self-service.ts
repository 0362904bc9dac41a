// Self-service: the bot answers a customer's first message from the knowledge base when it is
// confident enough, and the customer says whether that helped or asks for a person. Here are
// its settings (stored in Organization.settings.selfService), its outcomes, the events it
// records, and the analytics read from those events.
import { z } from 'zod';
import type { ChannelKind } from './vocabulary.js';

export const selfServiceSettingsSchema = z.strictObject({
  enabled: z.boolean(),
  /** Minimum confidence (0..1) for the bot to answer; null means the calibrated threshold of the
   * question's language (the one measured to keep 95 % of answers right). */
  threshold: z.number().min(0).max(1).nullable(),
  /** After an answer, the bot waits this long for the customer; silence counts as resolved. */
  idleMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60),
  /**
   * Automatic answers (bot, rules, CSAT) one email sender gets per hour at most, counted over every
   * channel (api/services/email/auto-answer.ts): the guard against two autoresponders answering
   * each other when neither marks its mail. 0: mail is never answered automatically.
   */
  emailAutoAnswersPerHour: z.number().int().min(0).max(1000),
});
export type SelfServiceSettings = z.infer<typeof selfServiceSettingsSchema>;

/** Off until an admin turns it on (the demo data does), like the bots of the tools our users know. */
export const defaultSelfServiceSettings: SelfServiceSettings = { enabled: false, threshold: null, idleMinutes: 30, emailAutoAnswersPerHour: 5 };

/** The defaults with the server's own number of automatic email answers (EMAIL_AUTO_ANSWERS_PER_HOUR), when it has one. */
export const selfServiceDefaults = (emailAutoAnswersPerHour: number | undefined): SelfServiceSettings =>
  emailAutoAnswersPerHour === undefined ? defaultSelfServiceSettings : { ...defaultSelfServiceSettings, emailAutoAnswersPerHour };

/** The stored settings merged over the defaults (the server's, when it has its own); a stored value that no longer validates is ignored. */
export function selfServiceSettingsOf(stored: unknown, defaults: SelfServiceSettings = defaultSelfServiceSettings): SelfServiceSettings {
  const settings = { ...defaults };
  if (typeof stored !== 'object' || stored === null) return settings;
  for (const key of Object.keys(settings) as (keyof SelfServiceSettings)[]) {
    const field = selfServiceSettingsSchema.shape[key].safeParse((stored as Record<string, unknown>)[key]);
    if (field.success) Object.assign(settings, { [key]: field.data });
  }
  return settings;
}

/** Channels where a customer waits for an answer: the bot may speak there, not on the API. */
const botChannels: readonly ChannelKind[] = ['web_chat', 'email'];
export const botMayAnswerOn = (channel: ChannelKind) => botChannels.includes(channel);

/** What the customer tells the bot after its answer. */
export const botFeedbackOutcomes = ['helpful', 'not_helpful', 'wants_human'] as const;
export type BotFeedbackOutcome = (typeof botFeedbackOutcomes)[number];

/** Why a conversation left the bot for a person; `action_failed`: an HTTP action the bot called failed (issue 20, item 6). */
export type HandOffReason = 'not_helpful' | 'wants_human' | 'customer_wrote_again' | 'action_failed';

export const selfServiceEvents = {
  answered: 'bot.answered',
  declined: 'bot.declined',
  helpful: 'bot.helpful',
  notHelpful: 'bot.not_helpful',
  handedOff: 'bot.handed_off',
  assumedResolved: 'bot.assumed_resolved',
} as const;

export interface SelfServiceReport {
  conversations: number;
  answered: number;
  declined: number;
  helpful: number;
  notHelpful: number;
  handedOff: number;
  assumedResolved: number;
  /** Share of conversations the bot resolved without a person (marked helpful or left satisfied). */
  deflectionRate: number;
  /** Share of conversations the bot answered at all. */
  answerRate: number;
  /** Share of the bot's answers that ended with a person. */
  handOffRate: number;
  /** Helpful votes among all votes; null without votes. */
  helpfulRate: number | null;
}

const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

/** The report from event counts per type and the number of conversations in the period. */
export function selfServiceReport(counts: Readonly<Record<string, number>>, conversations: number): SelfServiceReport {
  const count = (type: string) => counts[type] ?? 0;
  const answered = count(selfServiceEvents.answered);
  const helpful = count(selfServiceEvents.helpful);
  const notHelpful = count(selfServiceEvents.notHelpful);
  const assumedResolved = count(selfServiceEvents.assumedResolved);
  const handedOff = count(selfServiceEvents.handedOff);
  return {
    conversations,
    answered,
    declined: count(selfServiceEvents.declined),
    helpful,
    notHelpful,
    handedOff,
    assumedResolved,
    deflectionRate: share(helpful + assumedResolved, conversations),
    answerRate: share(answered, conversations),
    handOffRate: share(handedOff, answered),
    helpfulRate: helpful + notHelpful === 0 ? null : helpful / (helpful + notHelpful),
  };
}
