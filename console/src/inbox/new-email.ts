// "New email" (issue 17): an agent writes first, by email, to a customer who never wrote
// (POST /api/conversations, api/README.md "Outbound email"), from an enabled email channel
// (GET /api/email-channels). The form's pure parts: the body it sends, where the server's problems
// go and how a refusal reads.
import type { EmailConversationBody } from '../../../contract/requests/conversations';
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
