// Whether the product may answer one inbound mail automatically (bot, rules on its arrival, and so
// what they would send): never an auto-reply, a bounce or list mail (automated-mail.ts), and at most
// N mails per sender per hour (auto-reply-limit.ts; N is the organisation's setting, 5 by default) — the last guard against two autoresponders
// answering each other when neither marks its mail. Decided once per mail and kept on its
// InboundEmail row (`autoAnswer`), so a redelivery or a retry after a crash gets the same answer.
import { autoReplyDecision, defaultAutoReplyLimit, senderKey, type AutoReplyLimit } from '../../../infra/email/inbound/auto-reply-limit.js';
import type { Db } from '../../../infra/db.js';
import { selfServiceDefaults, selfServiceSettingsOf } from '../../../domain/self-service.js';

/** The organisation's limit (Organization.settings.selfService.emailAutoAnswersPerHour, admins set it with the bot's settings), per hour. */
export async function organizationAutoReplyLimit(db: Db, serverDefault?: number): Promise<AutoReplyLimit> {
  const organization = await db.organization.findUnique({ where: { id: 1 }, select: { settings: true } });
  const stored = (organization?.settings as Record<string, unknown> | null)?.selfService;
  const { emailAutoAnswersPerHour } = selfServiceSettingsOf(stored, selfServiceDefaults(serverDefault));
  return { max: emailAutoAnswersPerHour, windowMs: defaultAutoReplyLimit.windowMs };
}

export interface AutoAnswerSubject {
  /** The InboundEmail row. */
  id: string;
  /** Its sender, as stored (lower-cased). */
  fromAddress: string | null;
  /** What was decided before (a retry), or null. */
  autoAnswer: boolean | null;
}

/**
 * Decides and stores whether this mail may be answered automatically. Counted per sender over
 * every channel: the mails of the window already given automatic answers (`autoAnswer` true).
 * Mails of one sender are decided one at a time (an advisory lock on the sender), so two that
 * arrive together cannot both take the last answer of the hour.
 */
export async function decideAutoAnswer(
  db: Db,
  mail: AutoAnswerSubject,
  automated: boolean,
  given?: AutoReplyLimit,
  serverDefaultPerHour?: number,
): Promise<boolean> {
  if (mail.autoAnswer !== null) return mail.autoAnswer;
  if (automated || !mail.fromAddress) {
    await db.inboundEmail.update({ where: { id: mail.id }, data: { autoAnswer: false } });
    return false;
  }
  const limit = given ?? (await organizationAutoReplyLimit(db, serverDefaultPerHour));
  const sender = senderKey(mail.fromAddress);
  return db.$transaction(async (tx) => {
    // The database's clock, as for receivedAt: the window is measured on one clock.
    const [{ now }] = await tx.$queryRaw<
      [{ now: Date }]
    >`SELECT now() AS now FROM (SELECT pg_advisory_xact_lock(hashtextextended(${`auto-answer:${sender}`}, 0))) AS locked`;
    const current = await tx.inboundEmail.findUniqueOrThrow({ where: { id: mail.id }, select: { autoAnswer: true } });
    if (current.autoAnswer !== null) return current.autoAnswer;
    const answered = await tx.inboundEmail.findMany({
      where: { fromAddress: sender, autoAnswer: true, receivedAt: { gt: new Date(now.getTime() - limit.windowMs) } },
      select: { receivedAt: true },
    });
    const { allowed } = autoReplyDecision(
      answered.map((row) => row.receivedAt),
      now,
      limit,
    );
    await tx.inboundEmail.update({ where: { id: mail.id }, data: { autoAnswer: allowed } });
    return allowed;
  });
}
