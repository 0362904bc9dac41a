// "New email" (issue 17): an agent writes first, by email, to a customer who never wrote
// (POST /api/conversations, api/README.md "Outbound email"). The form's pure parts: which
// channels it offers, the body it sends, where the server's problems go and how a refusal reads.
import type { EmailConversationBody } from '../../../contract/requests/conversations';
import type { ChannelView } from '../../../contract/views';
import { fieldErrorsOf, type FieldErrors } from '../admin/admin-types';
import type { MessageKey } from '../i18n/messages-en';
import { ApiError } from '../shared/http';

export interface NewEmailDraft {
  channelId: string;
  customerEmail: string;
  customerName: string;
  subject: string;
  body: string;
}

/** The form's fields, as the server names them in a 400's details. */
export const newEmailFields = ['channelId', 'customerEmail', 'customerName', 'subject', 'body'] as const;

/** An email channel the mail can leave from: its name and address, for the choice. */
export interface EmailChannelChoice {
  id: string;
  name: string;
  address: string;
}

/** Only enabled email channels: the server refuses the others (409 not_email_channel / channel_disabled). */
export const emailChannelChoices = (channels: readonly ChannelView[]): EmailChannelChoice[] =>
  channels
    .filter((channel) => channel.kind === 'email' && channel.enabled)
    .map((channel) => ({ id: channel.id, name: channel.name, address: typeof channel.settings.address === 'string' ? channel.settings.address : '' }));

export const emptyNewEmail = (channelId = ''): NewEmailDraft => ({ channelId, customerEmail: '', customerName: '', subject: '', body: '' });

/** The request body: trimmed, the name only when given (the server refuses an empty one). */
export function newEmailBodyOf(draft: NewEmailDraft): EmailConversationBody {
  const name = draft.customerName.trim();
  return {
    channelId: draft.channelId,
    customerEmail: draft.customerEmail.trim(),
    ...(name ? { customerName: name } : {}),
    subject: draft.subject.trim(),
    body: draft.body,
  };
}

/** A 400's problems at the fields they name; anything else for the whole form. */
export const newEmailErrorsOf = (details: unknown): FieldErrors => fieldErrorsOf(details, newEmailFields);

const refusals: Record<string, MessageKey> = {
  not_email_channel: 'newEmail.notEmailChannel',
  channel_disabled: 'newEmail.channelDisabled',
};

/** What a 409 means for the agent, in their language; null for any other failure (the server's own message then). */
export function refusalKey(cause: unknown): MessageKey | null {
  return cause instanceof ApiError && cause.status === 409 ? (refusals[cause.code] ?? null) : null;
}
