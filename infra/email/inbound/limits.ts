// Limits on one inbound message, checked before and after parsing. Oversize or hostile mail is
// refused whole with a reason (never half-stored): the caller logs or bounces it.

export interface InboundLimits {
  /** The raw message, headers included, in bytes. */
  maxMessageBytes: number;
  /** Attachments (inline images included) in one message. */
  maxAttachments: number;
  /** One decoded attachment, in bytes. */
  maxAttachmentBytes: number;
  /** How deep multiparts and embedded messages may nest (the top-level message is depth 1). */
  maxMimeDepth: number;
  /** MIME parts of every kind in one message (containers and leaves). */
  maxMimeParts: number;
  /**
   * HTML characters sanitised for display (and converted to text when there is no text part):
   * beyond this the display copy is cut (`htmlTruncated`); the raw message keeps everything.
   * Sanitising costs about 0.6 s per million characters here, so this bounds the CPU one message takes.
   */
  maxHtmlChars: number;
}

/** Generous for people, tight for abuse: 25 MiB is what the big providers accept per message. */
export const defaultInboundLimits: Readonly<InboundLimits> = Object.freeze({
  maxMessageBytes: 25 * 1024 * 1024,
  maxAttachments: 100,
  maxAttachmentBytes: 20 * 1024 * 1024,
  maxMimeDepth: 12,
  maxMimeParts: 400,
  maxHtmlChars: 2_000_000,
});

/** Why a message was refused. Stable codes: they are logged, counted and shown to admins. */
export type InboundRefusalCode =
  'message_too_large' | 'too_many_attachments' | 'attachment_too_large' | 'mime_too_deep' | 'too_many_mime_parts' | 'not_a_message' | 'unparseable';

export interface InboundRefusal {
  code: InboundRefusalCode;
  /** One English sentence naming the limit and the value found, for logs and bounces. */
  message: string;
}
