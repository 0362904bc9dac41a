// The one-line preview of a conversation's last message that an inbox row shows: built by the API
// for GET /api/conversations (api/finders/conversation-finder.ts) and by the console from each live
// `message.created` (console/src/inbox/inbox-list.ts), with the same function so both agree.
import type { MessagePreview } from './views.js';

/** The most characters of a preview's text (the row cuts it to its width anyway). */
export const previewLength = 140;

/** What a preview is made of: a message view or a row read for the list. */
export interface PreviewSource {
  authorKind: MessagePreview['authorKind'];
  private: boolean;
  body: string;
  metadata?: unknown;
  /** The message's files, in their order (only the first one's name is kept). */
  attachments?: readonly { fileName: string }[];
  createdAt: string;
}

/** The message as one line: its words with whitespace collapsed, its first file, its mail's subject. */
export function messagePreview(message: PreviewSource): MessagePreview {
  const line = message.body.replace(/\s+/g, ' ').trim();
  const files = message.attachments ?? [];
  const metadata = typeof message.metadata === 'object' && message.metadata !== null ? (message.metadata as Record<string, unknown>) : {};
  const email = typeof metadata.email === 'object' && metadata.email !== null ? (metadata.email as Record<string, unknown>) : null;
  return {
    authorKind: message.authorKind,
    private: message.private,
    text: line.length > previewLength ? `${line.slice(0, previewLength - 1).trimEnd()}…` : line,
    files: files.length,
    fileName: files[0]?.fileName ?? null,
    emailSubject: email && typeof email.subject === 'string' && email.subject.trim() !== '' ? email.subject.trim() : null,
    createdAt: message.createdAt,
  };
}
