// The customer widget: a visitor gets a signed token, then opens and continues its own
// conversations. A visitor never reaches another customer's data or any private note, and sees
// its conversations and messages through the customer views (domain/event-audience.ts): no tags,
// priority, tier, team, SLA dates or bot confidence — the same cut as its socket's events.
// The host site may say who its signed-in user is (identity verification, services/widget-identity.ts),
// and a channel may ask anonymous visitors a pre-chat form first.
import { Router } from 'express';
import { idParams } from '../../contract/requests/common.js';
import {
  botFeedbackBody,
  customerMessageBody,
  customerReplyBody,
  offlineMessageBody,
  preChatBody,
  visitorBody,
  widgetConfigQuery,
} from '../../contract/requests/widget.js';
import { csatInputSchema, type CsatScore } from '../../domain/csat.js';
import { customerConversationView, customerMessageView } from '../../domain/event-audience.js';
import type { Principal } from '../../infra/auth/principal.js';
import { requireCustomer } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { findCustomerConversations, findOwnConversation, findPublicMessages } from '../finders/conversation-finder.js';
import { findQueuePlace } from '../finders/queue-finder.js';
import { notFound } from '../http-error.js';
import { giveBotFeedback } from '../services/bot-feedback-service.js';
import { postMessage, startConversation } from '../services/conversation-service.js';
import { recordCsat } from '../services/csat-service.js';
import { leaveOfflineMessage } from '../services/offline-message.js';
import { widgetAvailability } from '../services/support-availability.js';
import { createVisitor, knownTimeZone, savePreChat, widgetConfig } from '../services/visitor-service.js';
import { idempotencyKeyOf, parse } from '../validate.js';

export function widgetRoutes(deps: ApiDeps): Router {
  const router = Router();

  /** A new visitor (201); with an Idempotency-Key, a retry from the same client gets the same customer again (200). */
  router.post('/api/widget/visitors', async (req, res) => {
    const input = parse(visitorBody, req.body ?? {});
    const idempotencyKey = idempotencyKeyOf(req.get('idempotency-key'));
    // A visitor's own token sent along: an anonymous visitor who identifies keeps what they wrote.
    const principal = res.locals.principal as Principal | null;
    const currentCustomerId = principal?.kind === 'customer' ? principal.customerId : undefined;
    const visitor = await createVisitor(deps, { ...input, currentCustomerId, idempotencyKey, clientAddress: req.ip ?? req.socket.remoteAddress ?? 'unknown' });
    res.status(visitor.created ? 201 : 200).json({ token: visitor.token, customer: visitor.customer, verified: visitor.verified });
  });

  /** The channel's public widget settings: whether identity must be verified, the pre-chat form (null when off). */
  router.get('/api/widget/config', async (req, res) => {
    const { channelId } = parse(widgetConfigQuery, req.query, 'query');
    res.json({ config: await widgetConfig(deps.db, channelId) });
  });

  /** Whether a team is at work now, else when one is back: the widget's "we usually reply …" line. */
  router.get('/api/widget/availability', async (req, res) => {
    const { channelId } = parse(widgetConfigQuery, req.query, 'query');
    res.json({ availability: await widgetAvailability(deps.db, channelId) });
  });

  /** The offline form (outside the teams' hours): the message becomes an email conversation; 201, or 200 for a replayed Idempotency-Key. */
  router.post('/api/widget/offline-messages', async (req, res) => {
    const input = parse(offlineMessageBody, req.body);
    const taken = await leaveOfflineMessage(deps, input, idempotencyKeyOf(req.get('idempotency-key')));
    res.status(taken.created ? 201 : 200).json({ email: taken.email });
  });

  /** The visitor's answers to the pre-chat form, stored on their customer. */
  router.post('/api/widget/pre-chat', async (req, res) => {
    const { customerId } = requireCustomer(res);
    const answers = parse(preChatBody, req.body);
    res.json({ customer: await savePreChat(deps.db, customerId, answers) });
  });

  router.get('/api/widget/conversations', async (_req, res) => {
    const { customerId } = requireCustomer(res);
    const conversations = await findCustomerConversations(deps.db, customerId);
    res.json({ conversations: conversations.map(customerConversationView) });
  });

  router.post('/api/widget/conversations', async (req, res) => {
    const { customerId } = requireCustomer(res);
    const { body, timeZone } = parse(customerMessageBody, req.body);
    const idempotencyKey = idempotencyKeyOf(req.get('idempotency-key'));
    // The browser's zone is kept on the customer by the start's own statement.
    const result = await startConversation(deps, { customerId, body, idempotencyKey, timeZone: knownTimeZone(timeZone) });
    res.status(result.created ? 201 : 200).json({ conversation: customerConversationView(result.conversation), message: customerMessageView(result.message) });
  });

  /** The visitor's own conversation, or 404 (whether it exists for someone else is not revealed). */
  const ownConversation = async (customerId: string, params: unknown) => {
    const { id } = parse(idParams, params, 'path');
    const conversation = await findOwnConversation(deps.db, customerId, id);
    if (!conversation) throw notFound('Conversation');
    return conversation;
  };

  router.get('/api/widget/conversations/:id/messages', async (req, res) => {
    const { customerId } = requireCustomer(res);
    const conversation = await ownConversation(customerId, req.params);
    const messages = await findPublicMessages(deps.db, conversation.id);
    res.json({ messages: messages.map(customerMessageView) });
  });

  router.post('/api/widget/conversations/:id/messages', async (req, res) => {
    const { customerId } = requireCustomer(res);
    const { id } = parse(idParams, req.params, 'path');
    const { body, attachmentIds, timeZone } = parse(customerReplyBody, req.body);
    const idempotencyKey = idempotencyKeyOf(req.get('idempotency-key'));
    // The hot path: ownership is checked inside the storing statement (another customer's
    // conversation is "not found"), and the reported time zone is kept in it, saving round trips.
    const result = await postMessage(deps, {
      conversationId: id,
      ownerCustomerId: customerId,
      ownerTimeZone: knownTimeZone(timeZone),
      authorKind: 'customer',
      authorId: customerId,
      body,
      private: false,
      idempotencyKey,
      attachmentIds,
    });
    res.status(result.created ? 201 : 200).json({ message: customerMessageView(result.message) });
  });

  /** Where the visitor's conversation stands while it waits for a person: its place in line and the expected wait (the widget asks again as it moves). */
  router.get('/api/widget/conversations/:id/queue', async (req, res) => {
    const { customerId } = requireCustomer(res);
    const conversation = await ownConversation(customerId, req.params);
    res.json({ queue: await findQueuePlace(deps.db, conversation.id) });
  });

  /** The visitor's verdict on the bot's answer: helpful, not helpful, or "talk to a human" (once; the same again is a no-op). */
  router.post('/api/widget/conversations/:id/bot-feedback', async (req, res) => {
    const { customerId } = requireCustomer(res);
    const { id } = parse(idParams, req.params, 'path');
    const { outcome } = parse(botFeedbackBody, req.body);
    res.json({ conversation: customerConversationView(await giveBotFeedback(deps, { conversationId: id, customerId, outcome })) });
  });

  /** The visitor rates their resolved conversation 1-5; rating again replaces the rating (201 first, then 200), a few times at most. */
  router.post('/api/widget/conversations/:id/csat', async (req, res) => {
    const { customerId } = requireCustomer(res);
    const { id } = parse(idParams, req.params, 'path');
    const { score, comment } = parse(csatInputSchema, req.body);
    const csat = await recordCsat(deps, { conversationId: id, customerId, score: score as CsatScore, comment });
    res.status(csat.replaced || csat.unchanged ? 200 : 201).json({ csat });
  });

  return router;
}
