// The email bench's client: each sender opens a thread with one mail, then sends replies that
// carry In-Reply-To (as a mail client does), over a pool of SMTP connections (nodemailer, the
// same client a forwarding server or a test would use). Times are performance.now() in the bench
// process: `acceptedAt` is the SMTP 250 after DATA, which the product gives only once the mail is
// stored (an accepted mail is never lost).
import { performance } from 'node:perf_hooks';
import nodemailer from 'nodemailer';
import { runPool } from './http-client.js';

export interface MailSend {
  marker: string;
  sentAt: number;
  /** null: refused or failed (`error`). */
  acceptedAt: number | null;
  error?: string;
}

export interface MailLoadResult {
  sends: MailSend[];
  accepted: number;
  failed: number;
  /** First send → last answer (ms). */
  windowMs: number;
  errors: string[];
}

export interface MailLoadOptions {
  smtpUrl: string;
  /** Envelope and header recipient: the email channel's address. */
  to: string;
  senders: number;
  /** Replies per sender after the mail that opens the thread. */
  replies: number;
  /** SMTP connections in use at once. */
  connections: number;
  runTag: string;
}

const senderAddress = (runTag: string, sender: number) => `customer-${runTag}-${sender}@bench.example`;
const threadMessageId = (runTag: string, sender: number) => `<thread-${runTag}-${sender}@bench.example>`;

/** Sends every mail of one phase with at most `connections` in flight; resolves when all are answered. */
async function sendAll(
  options: MailLoadOptions,
  mails: { from: string; messageId: string; inReplyTo?: string; subject: string; text: string; marker: string }[],
) {
  const transport = nodemailer.createTransport({
    url: options.smtpUrl,
    pool: true,
    maxConnections: options.connections,
    maxMessages: Infinity,
    ignoreTLS: true,
  });
  const sends: MailSend[] = [];
  const errors: string[] = [];
  const started = performance.now();
  try {
    await runPool(mails.length, options.connections, async (index) => {
      const mail = mails[index]!;
      const send: MailSend = { marker: mail.marker, sentAt: performance.now(), acceptedAt: null };
      sends.push(send);
      try {
        await transport.sendMail({
          from: mail.from,
          to: options.to,
          subject: mail.subject,
          messageId: mail.messageId,
          ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo, references: [mail.inReplyTo] } : {}),
          text: mail.text,
        });
        send.acceptedAt = performance.now();
      } catch (error) {
        send.error = error instanceof Error ? error.message : String(error);
        if (errors.length < 20) errors.push(send.error);
      }
    });
  } finally {
    transport.close();
  }
  const accepted = sends.filter((send) => send.acceptedAt !== null).length;
  return { sends, accepted, failed: sends.length - accepted, windowMs: performance.now() - started, errors };
}

/** One mail per sender: each opens a conversation (not measured for delivery; their rate is reported). */
export function openThreads(options: MailLoadOptions): Promise<MailLoadResult> {
  const mails = Array.from({ length: options.senders }, (_, sender) => ({
    from: `Bench customer ${sender} <${senderAddress(options.runTag, sender)}>`,
    messageId: threadMessageId(options.runTag, sender),
    subject: `Order ${options.runTag}-${sender} has not arrived`,
    text: `Hello, my order has not arrived yet. Can you check where it is? [${options.runTag}:t${sender}]`,
    marker: `${options.runTag}:t${sender}`,
  }));
  return sendAll(options, mails);
}

/** `replies` mails per sender, threaded to the first by In-Reply-To, interleaved across senders. */
export function sendReplies(options: MailLoadOptions, phase: string): Promise<MailLoadResult> {
  const mails = Array.from({ length: options.senders * options.replies }, (_, index) => {
    const sender = index % options.senders;
    const marker = `${options.runTag}:${phase}${index}`;
    return {
      from: senderAddress(options.runTag, sender),
      messageId: `<reply-${phase}-${options.runTag}-${index}@bench.example>`,
      inReplyTo: threadMessageId(options.runTag, sender),
      subject: `Re: Order ${options.runTag}-${sender} has not arrived`,
      text: `Any news on this? Note ${index}. [${marker}]`,
      marker,
    };
  });
  return sendAll(options, mails);
}
