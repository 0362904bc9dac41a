// The widget's offline form (issue 21): outside every team's hours the widget takes a name, an
// email address and a message instead of a chat. It becomes a conversation on the email channel
// — the customer found or created by that address (as for inbound mail), the message as their
// first — so it queues, routes and is answered like mail that came in, and the agents' replies
// leave by the email channel's outbound path (OutboundEmail + send_email) to that address. The
// first enabled email channel is the one, as for a ticket's first reply; with none switched on
// there is nowhere to answer from, and the form is not offered (GET /api/widget/availability).
import type { OfflineMessageBody } from '../../contract/requests/widget.js';
import { inCustomerLanguage, languageOfLocale } from '../../infra/customer-language.js';
import type { ApiDeps } from '../deps.js';
import { conflict } from '../http-error.js';
import { startConversation } from './conversation-service.js';
import { customerByEmail } from './email/email-customer.js';
import { firstEmailChannelId } from './email/first-email-channel.js';
import { widgetChannel } from './widget-identity.js';

type Deps = Pick<ApiDeps, 'db' | 'temporal' | 'taskQueue' | 'log' | 'relay'>;

/** The conversation's subject, in the visitor's language: it is the subject of the mail they get back (Traditional converted from the Simplified). */
export function offlineSubject(locale: string | undefined): string {
  return inCustomerLanguage(languageOfLocale(locale), (language) => (language === 'en' ? 'Message from the website' : '来自网站的留言'));
}

/** `created` is false when an Idempotency-Key replays a form already taken (the same conversation, nothing stored twice). */
export async function leaveOfflineMessage(deps: Deps, input: OfflineMessageBody, idempotencyKey: string | null) {
  const { db } = deps;
  await widgetChannel(db, input.channelId);
  const channelId = await firstEmailChannelId(db);
  if (!channelId) throw conflict('no_email_channel', 'No email channel is switched on to answer from.');
  const customerId = await customerByEmail(db, input.email, input.name);
  const started = await startConversation(deps, {
    customerId,
    body: input.message,
    // Namespaced: a key of the visitor's chat can never replay this conversation, nor this one theirs.
    idempotencyKey: idempotencyKey ? `offline:${idempotencyKey}` : null,
    channelId,
    subject: offlineSubject(input.locale),
  });
  return { created: started.created, email: input.email, conversationId: started.conversation.id };
}
