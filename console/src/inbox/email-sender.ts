// A colleague's mail (issue 17): a mail in the thread from someone else than the conversation's
// customer — a person they copied, answering — is stored as theirs with `metadata.sender`
// (contract EmailSender; api/README.md "Inbound email"). The message then names that person, not
// the customer. Read defensively: messages arrive over the socket too.
import type { EmailSender } from '../../../contract/views';
import type { MessageView } from '../shared/wire-types';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Who wrote the mail when it is not the conversation's customer; null on the customer's own mail and on anything else. */
export function emailSenderOf(message: Pick<MessageView, 'metadata'>): EmailSender | null {
  const metadata: unknown = message.metadata;
  if (!isObject(metadata) || !isObject(metadata.sender)) return null;
  const { name, address } = metadata.sender;
  if (typeof address !== 'string' || !address) return null;
  return { name: typeof name === 'string' && name.trim() ? name.trim() : null, address };
}
