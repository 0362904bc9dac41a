// Business hours as admins manage them: a named weekly calendar in a time zone, with holidays.
// Teams and SLA policies point at them; SLA clocks count only their open minutes. Every write is
// one transaction with its audit event.
//
// A change reaches new SLA plans at once (activities read the hours when they plan). Running
// conversations keep the calendar their plan was made with until they are planned again (a
// priority change, or the SLA-policy change signal the lead wires in sla-policy-service.ts).
import { parseBusinessCalendar, type OpeningInterval } from '../../domain/business-hours.js';
import type { Db, Tx } from '../../infra/db.js';
import type { BusinessHours, Prisma } from '../../prisma/generated/client.js';
import { badRequest, conflict, HttpError } from '../http-error.js';
import { recordAudit } from './audit-service.js';
import { refuseWhileInUse } from './dependents.js';
import { isUniqueViolation } from './prisma-errors.js';
import { lockRowOrNotFound } from './row-lock.js';

export function toBusinessHoursView(row: BusinessHours, usage?: { teams: number; policies: number }) {
  return {
    id: row.id,
    name: row.name,
    timeZone: row.timeZone,
    weekly: row.weekly as unknown as OpeningInterval[],
    holidays: row.holidays as unknown as string[],
    createdAt: row.createdAt.toISOString(),
    ...(usage ? { usage: { teams: usage.teams, slaPolicies: usage.policies } } : {}),
  };
}
export type BusinessHoursView = ReturnType<typeof toBusinessHoursView>;

export interface BusinessHoursInput {
  name: string;
  timeZone: string;
  weekly: OpeningInterval[];
  holidays: string[];
}

const json = (value: unknown) => value as Prisma.InputJsonValue;

/** The whole calendar checked as the SLA arithmetic will read it (the route checked each field). */
function checkCalendar(input: BusinessHoursInput) {
  try {
    parseBusinessCalendar({ timeZone: input.timeZone, weekly: input.weekly, holidays: input.holidays });
  } catch (error) {
    throw badRequest('invalid_business_hours', error instanceof Error ? error.message : 'The business hours are not valid.');
  }
}

const nameTaken = () => conflict('business_hours_name_taken', 'Other business hours have this name.');

async function checkNameFree(tx: Tx, name: string, exceptId?: string) {
  const taken = await tx.businessHours.findFirst({
    where: { name: { equals: name, mode: 'insensitive' }, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true },
  });
  if (taken) throw nameTaken();
}

const data = (input: Partial<BusinessHoursInput>) => ({
  name: input.name,
  timeZone: input.timeZone,
  weekly: input.weekly && json(input.weekly),
  holidays: input.holidays && json(input.holidays),
});

/** All business hours by name, each with how many teams and SLA policies use it. */
export async function listBusinessHours(db: Db): Promise<BusinessHoursView[]> {
  const rows = await db.businessHours.findMany({ orderBy: { name: 'asc' }, include: { _count: { select: { teams: true, policies: true } } } });
  return rows.map(({ _count, ...row }) => toBusinessHoursView(row, _count));
}

export async function createBusinessHours(db: Db, adminId: string, input: BusinessHoursInput): Promise<BusinessHoursView> {
  checkCalendar(input);
  try {
    return await db.$transaction(async (tx) => {
      await checkNameFree(tx, input.name);
      const row = await tx.businessHours.create({
        data: { name: input.name, timeZone: input.timeZone, weekly: json(input.weekly), holidays: json(input.holidays) },
      });
      const view = toBusinessHoursView(row);
      await recordAudit(tx, { type: 'business_hours.created', adminId, before: null, after: view });
      return toBusinessHoursView(row, { teams: 0, policies: 0 });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken();
    throw error;
  }
}

/** Applies the change; the merged calendar is checked as a whole. */
export async function updateBusinessHours(db: Db, adminId: string, id: string, changes: Partial<BusinessHoursInput>): Promise<BusinessHoursView> {
  try {
    return await db.$transaction(async (tx) => {
      await lockRowOrNotFound(tx, 'BusinessHours', id, 'Business hours');
      const current = await tx.businessHours.findUniqueOrThrow({ where: { id }, include: { _count: { select: { teams: true, policies: true } } } });
      const { _count, ...row } = current;
      const before = toBusinessHoursView(row);
      checkCalendar({ name: before.name, timeZone: before.timeZone, weekly: before.weekly, holidays: before.holidays, ...changes });
      if (changes.name !== undefined) await checkNameFree(tx, changes.name, id);
      const updated = await tx.businessHours.update({ where: { id }, data: data(changes) });
      const after = toBusinessHoursView(updated);
      await recordAudit(tx, { type: 'business_hours.updated', adminId, before, after, details: { changed: Object.keys(changes) } });
      return toBusinessHoursView(updated, _count);
    });
  } catch (error) {
    if (error instanceof HttpError) throw error;
    if (isUniqueViolation(error)) throw nameTaken();
    throw error;
  }
}

/**
 * Deletes business hours no team or SLA policy uses; otherwise 409 `business_hours_in_use`
 * (the foreign keys would quietly turn those SLA clocks to 24/7).
 */
export async function deleteBusinessHours(db: Db, adminId: string, id: string): Promise<void> {
  await db.$transaction(async (tx) => {
    // Lock first: a team or policy taking these hours meanwhile waits (its foreign key check
    // needs the row), then fails, instead of slipping past the counts.
    await lockRowOrNotFound(tx, 'BusinessHours', id, 'Business hours');
    const [teams, slaPolicies] = await Promise.all([tx.team.count({ where: { businessHoursId: id } }), tx.slaPolicy.count({ where: { businessHoursId: id } })]);
    refuseWhileInUse('business_hours_in_use', 'These business hours are still used by', { teams, slaPolicies });
    const row = await tx.businessHours.delete({ where: { id } });
    await recordAudit(tx, { type: 'business_hours.deleted', adminId, before: toBusinessHoursView(row), after: null });
  });
}
