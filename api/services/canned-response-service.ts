// Canned responses: saved replies agents insert by shortcut, shared by everyone (no team) or
// kept for one team. Agents read the shared ones and their team's; admins read and write all.
// Every write is one transaction with its audit event.
import { inBothChineseScripts } from '../../infra/chinese-text.js';
import type { Db, Tx } from '../../infra/db.js';
import type { CannedResponse, Prisma } from '../../prisma/generated/client.js';
import { escapeLike } from '../admin-fields.js';
import { badRequest, conflict, HttpError } from '../http-error.js';
import { recordAudit } from './audit-service.js';
import { isUniqueViolation } from './prisma-errors.js';
import { lockRowOrNotFound } from './row-lock.js';

export function toCannedResponseView(row: CannedResponse) {
  return {
    id: row.id,
    shortcut: row.shortcut,
    title: row.title,
    body: row.body,
    locale: row.locale,
    teamId: row.teamId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type CannedResponseView = ReturnType<typeof toCannedResponseView>;

export interface CannedResponseInput {
  shortcut: string;
  title: string;
  body: string;
  locale: string;
  teamId: string | null;
}

/** Who is reading: admins see every response, agents the shared ones and their team's. */
export type CannedReader = { role: 'admin' } | { role: 'agent'; teamId: string | null };

/** At most this many are listed (the console filters as the agent types). */
export const cannedResponseListLimit = 500;

/**
 * The responses the reader may use, by shortcut. `q` matches title, body or shortcut as a
 * case-insensitive substring (Chinese included, in either script: no word splitting needed for a
 * substring); a leading "/" is dropped, as agents type the shortcut with it.
 */
export async function listCannedResponses(db: Db, reader: CannedReader, filter: { locale?: string; q?: string }): Promise<CannedResponseView[]> {
  const text = filter.q?.replace(/^\//, '').trim();
  const where: Prisma.CannedResponseWhereInput = {
    ...(filter.locale ? { locale: filter.locale } : {}),
    ...(reader.role === 'agent' ? { OR: [{ teamId: null }, ...(reader.teamId ? [{ teamId: reader.teamId }] : [])] } : {}),
    ...(text
      ? {
          AND: [
            {
              OR: inBothChineseScripts(text).flatMap((variant) =>
                (['title', 'body', 'shortcut'] as const).map((field) => ({ [field]: { contains: escapeLike(variant), mode: 'insensitive' as const } })),
              ),
            },
          ],
        }
      : {}),
  };
  const rows = await db.cannedResponse.findMany({ where, orderBy: [{ shortcut: 'asc' }, { locale: 'asc' }], take: cannedResponseListLimit });
  return rows.map(toCannedResponseView);
}

const shortcutTaken = (shortcut: string, locale: string) => conflict('shortcut_taken', `The shortcut "${shortcut}" is already used in ${locale}.`);

async function checkShortcutFree(tx: Tx, shortcut: string, locale: string, exceptId?: string) {
  const taken = await tx.cannedResponse.findFirst({ where: { shortcut, locale, ...(exceptId ? { id: { not: exceptId } } : {}) }, select: { id: true } });
  if (taken) throw shortcutTaken(shortcut, locale);
}

/**
 * The team must exist. There is no foreign key on CannedResponse.teamId: the team row is locked
 * against deletion (FOR KEY SHARE) until this transaction ends, and deleteTeam refuses a team
 * that still has canned responses.
 */
async function checkTeam(tx: Tx, teamId: string | null | undefined) {
  if (!teamId) return;
  const [team] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Team" WHERE id = ${teamId}::uuid FOR KEY SHARE`;
  if (!team) throw badRequest('unknown_team', 'That team does not exist.');
}

/** Who may see the audit event live: a team's response is that team's business. */
const auditTeam = (before: CannedResponseView | null, after: CannedResponseView | null) => before?.teamId ?? after?.teamId ?? null;

export async function createCannedResponse(db: Db, adminId: string, input: CannedResponseInput): Promise<CannedResponseView> {
  try {
    return await db.$transaction(async (tx) => {
      await checkTeam(tx, input.teamId);
      await checkShortcutFree(tx, input.shortcut, input.locale);
      const view = toCannedResponseView(await tx.cannedResponse.create({ data: input }));
      await recordAudit(tx, { type: 'canned_response.created', adminId, before: null, after: view, teamId: auditTeam(null, view) });
      return view;
    });
  } catch (error) {
    if (error instanceof HttpError) throw error;
    if (isUniqueViolation(error)) throw shortcutTaken(input.shortcut, input.locale);
    throw error;
  }
}

export async function updateCannedResponse(db: Db, adminId: string, id: string, changes: Partial<CannedResponseInput>): Promise<CannedResponseView> {
  try {
    return await db.$transaction(async (tx) => {
      await lockRowOrNotFound(tx, 'CannedResponse', id, 'Canned response');
      const before = toCannedResponseView(await tx.cannedResponse.findUniqueOrThrow({ where: { id } }));
      await checkTeam(tx, changes.teamId);
      if (changes.shortcut !== undefined || changes.locale !== undefined)
        await checkShortcutFree(tx, changes.shortcut ?? before.shortcut, changes.locale ?? before.locale, id);
      const after = toCannedResponseView(await tx.cannedResponse.update({ where: { id }, data: changes }));
      await recordAudit(tx, {
        type: 'canned_response.updated',
        adminId,
        before,
        after,
        teamId: auditTeam(before, after),
        details: { changed: Object.keys(changes) },
      });
      return after;
    });
  } catch (error) {
    if (error instanceof HttpError) throw error;
    if (isUniqueViolation(error)) throw conflict('shortcut_taken', 'That shortcut is already used in this locale.');
    throw error;
  }
}

export async function deleteCannedResponse(db: Db, adminId: string, id: string): Promise<void> {
  await db.$transaction(async (tx) => {
    await lockRowOrNotFound(tx, 'CannedResponse', id, 'Canned response');
    const current = await tx.cannedResponse.delete({ where: { id } });
    const before = toCannedResponseView(current);
    await recordAudit(tx, { type: 'canned_response.deleted', adminId, before, after: null, teamId: auditTeam(before, null) });
  });
}
