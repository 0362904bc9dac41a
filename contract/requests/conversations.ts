// The agent console's conversations: the inbox filters, replies and notes, and the lifecycle
// actions (resolve and reopen take an empty body: common.ts emptyBody).
import { z } from 'zod';
import { conversationStatuses, priorities } from '../../domain/vocabulary.js';
import { messageText, pageQuery } from './common.js';

/** GET /api/conversations */
export const conversationListQuery = z.strictObject({
  status: z.enum(conversationStatuses).optional(),
  assignee: z.enum(['me', 'unassigned']).optional(),
  priority: z.enum(priorities).optional(),
  tag: z.string().trim().min(1).max(50).optional(),
  /** Words in the customer's name or email, the subject or any message (Chinese too: a substring match). */
  q: z.string().trim().min(1).max(200).optional(),
  ...pageQuery,
});
export type ConversationListQuery = z.infer<typeof conversationListQuery>;

/** GET /api/conversations/:id/messages: the newest page first, `cursor` for older ones. */
export const messageListQuery = z.strictObject(pageQuery);
export type MessageListQuery = z.infer<typeof messageListQuery>;

/** POST /api/conversations/:id/messages */
export const agentMessageBody = z
  .strictObject({
    body: messageText,
    private: z.boolean().default(false),
    /** Colleagues @mentioned in a private note (user ids, picked in the console). */
    mentions: z.array(z.uuid()).max(20).default([]),
    /** Files uploaded to the conversation first (POST …/attachments), sent with this message. */
    attachmentIds: z.array(z.uuid()).max(20).default([]),
  })
  .refine((body) => body.private || body.mentions.length === 0, { message: 'Only private notes can mention colleagues.', path: ['mentions'] });

/**
 * POST /api/conversations: an agent or admin writes first, by email, to a customer found (or
 * created) by address; the message leaves as the thread's first mail.
 */
export const emailConversationBody = z.strictObject({
  channelId: z.uuid(),
  customerEmail: z
    .string()
    .trim()
    .max(254)
    .pipe(z.email('A valid email address'))
    .transform((address) => address.toLowerCase()),
  /** Only used when the address is new: the customer created gets it. */
  customerName: z.string().trim().min(1).max(100).optional(),
  subject: z.string().trim().min(1, 'A subject is needed').max(200),
  body: messageText,
});
export type EmailConversationBody = z.infer<typeof emailConversationBody>;

/** POST /api/conversations/:id/snooze: until when (with an offset), or until the customer writes (null or none). */
export const snoozeBody = z.strictObject({ until: z.iso.datetime({ offset: true }).nullable().optional() });

/** POST /api/conversations/:id/transfer */
export const transferBody = z
  .strictObject({ toAgentId: z.uuid().optional(), toTeamId: z.uuid().optional() })
  .refine((body) => Boolean(body.toAgentId) !== Boolean(body.toTeamId), { message: 'Give exactly one of toAgentId and toTeamId.' });

/** POST /api/conversations/:id/priority (tickets share it: tickets.ts) */
export const priorityBody = z.strictObject({ priority: z.enum(priorities) });

const tagList = z.array(z.string().trim().min(1).max(50)).max(20).default([]);

/** POST /api/conversations/:id/tags */
export const tagsBody = z
  .strictObject({ add: tagList, remove: tagList })
  .refine((body) => body.add.length + body.remove.length > 0, { message: 'Give tags to add or remove.' });

/** POST /api/conversations/:id/merge */
export const mergeBody = z.strictObject({ intoConversationId: z.uuid() });

/** The most conversations one bulk action takes (an inbox page). */
export const bulkConversationLimit = 50;

const bulkIds = z
  .array(z.uuid())
  .min(1)
  .max(bulkConversationLimit)
  .refine((ids) => new Set(ids).size === ids.length, { message: 'Name each conversation once.' });

/**
 * POST /api/conversations/bulk: one action on several conversations, each applied as its single
 * route would (assign is the transfer to an agent or a team; tag adds and removes).
 */
export const bulkConversationBody = z
  .discriminatedUnion('action', [
    z.strictObject({ action: z.literal('resolve'), conversationIds: bulkIds }),
    z.strictObject({ action: z.literal('snooze'), conversationIds: bulkIds, until: z.iso.datetime({ offset: true }).nullable().optional() }),
    z.strictObject({ action: z.literal('assign'), conversationIds: bulkIds, toAgentId: z.uuid().optional(), toTeamId: z.uuid().optional() }),
    z.strictObject({ action: z.literal('tag'), conversationIds: bulkIds, add: tagList, remove: tagList }),
  ])
  .superRefine((body, context) => {
    if (body.action === 'assign' && Boolean(body.toAgentId) === Boolean(body.toTeamId))
      context.addIssue({ code: 'custom', message: 'Give exactly one of toAgentId and toTeamId.', path: ['toAgentId'] });
    if (body.action === 'tag' && body.add.length + body.remove.length === 0)
      context.addIssue({ code: 'custom', message: 'Give tags to add or remove.', path: ['add'] });
  });
export type BulkConversationBody = z.infer<typeof bulkConversationBody>;
/** What a client sends (tag lists may be left out). */
export type BulkConversationInput = z.input<typeof bulkConversationBody>;
export type BulkConversationAction = BulkConversationBody['action'];

/** GET /api/conversations/:id/messages/:messageId/email */
export const messageEmailParams = z.object({ id: z.uuid(), messageId: z.uuid() });

/** GET …/email/remote-images/:index: the index of a remote image the mail's HTML withholds. */
export const remoteImageParams = messageEmailParams.extend({
  index: z
    .string()
    .regex(/^\d{1,4}$/, 'a number from 0 to 9999')
    .transform(Number),
});

/** POST …/attachments: the file's name when the X-File-Name header is not sent. */
export const attachmentNameQuery = z.object({ name: z.string().max(1000).optional() }).loose();
