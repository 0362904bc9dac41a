// An email channel's IMAP polling as admins set it (issue 17): PUT /api/channels/:id/imap and
// POST /api/channels/:id/imap/test. Shared with the console, which checks its form with them.
import { z } from 'zod';

/** How the connection is encrypted: implicit TLS (993), STARTTLS required (143), none (a trusted network only). */
export const imapTlsModes = ['tls', 'starttls', 'none'] as const;

// eslint-disable-next-line no-control-regex
const noControlCharacters = /^[^\u0000-\u001f\u007f]*$/;

const host = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(
    /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$|^[0-9A-Fa-f:.]+$/,
    'must be a host name or an IP address (no scheme, no port)',
  );
const port = z.int().min(1).max(65535);
const username = z.string().min(1).max(320).regex(noControlCharacters, 'must not contain control characters');
const password = z.string().min(1).max(1000).regex(noControlCharacters, 'must not contain control characters');
const mailbox = z.string().trim().min(1).max(200).regex(noControlCharacters, 'must not contain control characters');

/**
 * PUT /api/channels/:id/imap: the whole settings. `password` may be left out once one is stored
 * (it is kept); it is required the first time. Polling starts when `enabled` (default true).
 */
export const imapSettingsBody = z.strictObject({
  host,
  port,
  tls: z.enum(imapTlsModes),
  username,
  password: password.optional(),
  mailbox: mailbox.default('INBOX'),
  enabled: z.boolean().default(true),
  /** Seconds between polls: 15 s to a day. */
  pollIntervalSeconds: z.int().min(15).max(86_400).default(60),
  /** The first import reads mail received in the last this many days before the settings were first saved (0: only new mail); at most a year. */
  importDays: z.int().min(0).max(365).default(3),
});
export type ImapSettingsBody = z.infer<typeof imapSettingsBody>;

/**
 * POST /api/channels/:id/imap/test: the stored settings, with any of these fields replaced (the
 * console tests its form before saving; a left-out password is the stored one). Nothing is saved.
 */
export const imapTestBody = z.strictObject({
  host: host.optional(),
  port: port.optional(),
  tls: z.enum(imapTlsModes).optional(),
  username: username.optional(),
  password: password.optional(),
  mailbox: mailbox.optional(),
});
export type ImapTestBody = z.infer<typeof imapTestBody>;
