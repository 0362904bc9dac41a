// The customer widget: a new visitor (anonymous, or identified by the host site), the pre-chat
// form, a message of theirs, their verdict on a bot answer. (The rating's body is domain/csat.ts
// csatInputSchema, which the workflows share.) Also the web_chat channel's pre-chat form as admins
// set it (api/admin-fields.ts channelSettings.web_chat).
import { z } from 'zod';
import { botFeedbackOutcomes } from '../../domain/self-service.js';
import { messageText } from './common.js';

const visitorName = z.string().trim().min(1).max(200);
const visitorEmail = z.string().trim().toLowerCase().email().max(320);

/**
 * The host site's user (`Seamless('identify', …)`): its id, email and name, and `userHash`, the hex
 * HMAC-SHA256 of `userId` with the channel's identity secret (api/services/widget-identity.ts).
 */
export const identityClaim = z.strictObject({
  userId: z.string().trim().min(1).max(200),
  email: visitorEmail.optional(),
  name: visitorName.optional(),
  userHash: z.string().trim().min(1).max(128).optional(),
});

/** POST /api/widget/visitors: a new visitor, or (with `identity`) the host site's signed-in user. */
export const visitorBody = z.strictObject({
  name: visitorName.optional(),
  email: visitorEmail.optional(),
  locale: z.string().trim().min(2).max(20).optional(),
  /** The web_chat channel the widget belongs to; the first enabled one when absent. */
  channelId: z.uuid().optional(),
  identity: identityClaim.optional(),
});

/** GET /api/widget/config */
export const widgetConfigQuery = z.strictObject({ channelId: z.uuid().optional() });

/** A custom field's key: what it is stored under in the customer's attributes. */
const fieldKey = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be 1-40 lower-case letters, digits or "_", starting with a letter');

/** One custom question of the pre-chat form: its key, its label in both languages, required or not. */
export const preChatField = z.strictObject({
  key: fieldKey,
  label: z.strictObject({ en: z.string().trim().min(1).max(100), zh: z.string().trim().min(1).max(100) }),
  required: z.boolean(),
});

/** A web_chat channel's pre-chat form: asked of anonymous visitors before their first message. */
export const preChatFormSettings = z
  .strictObject({
    enabled: z.boolean(),
    askName: z.boolean(),
    askEmail: z.boolean(),
    /** Whether name and email must be filled in (when asked). */
    nameRequired: z.boolean().default(false),
    emailRequired: z.boolean().default(false),
    fields: z.array(preChatField).max(10).default([]),
  })
  .refine((form) => new Set(form.fields.map((field) => field.key)).size === form.fields.length, { message: 'Each field needs its own key.', path: ['fields'] });
export type PreChatForm = z.infer<typeof preChatFormSettings>;

/** POST /api/widget/pre-chat: the visitor's answers (checked against the channel's form). */
export const preChatBody = z.strictObject({
  channelId: z.uuid().optional(),
  name: visitorName.optional(),
  email: visitorEmail.optional(),
  fields: z.record(fieldKey, z.string().trim().max(500)).default({}),
});

/**
 * The visitor's IANA time zone as their browser reports it (Intl), sent when they start or write in
 * a conversation; a zone the server does not know is ignored rather than refused (the message
 * still counts), so any string up to 100 characters passes here.
 */
const visitorTimeZone = z.string().max(100).optional();

/** POST /api/widget/conversations */
export const customerMessageBody = z.strictObject({ body: messageText, timeZone: visitorTimeZone });

/** POST /api/widget/conversations/:id/messages: the text and the files uploaded for it first (POST …/attachments). */
export const customerReplyBody = z.strictObject({ body: messageText, attachmentIds: z.array(z.uuid()).max(20).default([]), timeZone: visitorTimeZone });

/** POST /api/widget/conversations/:id/bot-feedback */
export const botFeedbackBody = z.strictObject({ outcome: z.enum(botFeedbackOutcomes) });

/**
 * POST /api/widget/offline-messages: outside the teams' hours, the visitor's name, email (required:
 * the reply goes there) and message, which become an email conversation.
 */
export const offlineMessageBody = z.strictObject({
  /** The web_chat channel the widget belongs to; the first enabled one when absent. */
  channelId: z.uuid().optional(),
  name: visitorName.optional(),
  email: visitorEmail,
  message: messageText,
  /** The widget's language: the conversation's subject is written in it. */
  locale: z.string().trim().min(2).max(20).optional(),
});
export type OfflineMessageBody = z.infer<typeof offlineMessageBody>;
