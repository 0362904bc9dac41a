// The customer widget: a new visitor, a message of theirs, their verdict on a bot answer. (The
// rating's body is domain/csat.ts csatInputSchema, which the workflows share.)
import { z } from 'zod';
import { botFeedbackOutcomes } from '../../domain/self-service.js';
import { messageText } from './common.js';

/** POST /api/widget/visitors */
export const visitorBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  email: z.string().trim().toLowerCase().email().max(320).optional(),
  locale: z.string().trim().min(2).max(20).optional(),
});

/** POST /api/widget/conversations and …/:id/messages */
export const customerMessageBody = z.strictObject({ body: messageText });

/** POST /api/widget/conversations/:id/messages: the text and the files uploaded for it first (POST …/attachments). */
export const customerReplyBody = z.strictObject({ body: messageText, attachmentIds: z.array(z.uuid()).max(20).default([]) });

/** POST /api/widget/conversations/:id/bot-feedback */
export const botFeedbackBody = z.strictObject({ outcome: z.enum(botFeedbackOutcomes) });
