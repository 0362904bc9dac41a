// IMAP passwords of email channels (issue 17), write-only: the API seals one when an admin saves a
// channel's IMAP settings (ImapMailbox.passwordSealed, the channel id as context, so a sealed
// value copied to another channel does not open there); the poll activity opens it to log in.
// No view, event, audit entry or workflow history ever carries it.
import { createSecretBox, type SecretBox } from './secret-box.js';

/** Its own key, derived from the server secret: not the webhook secrets' nor the visitor tokens'. */
const purpose = 'imap-passwords';

/** The box for IMAP passwords, keyed by the server secret (the API's and the worker's alike). */
export const imapPasswordBox = (serverSecret: string): SecretBox => createSecretBox(serverSecret, purpose);
