// The conversation as prepareConversation reads it — its channel, team with business hours,
// customer and the bot's first messages — in one statement on the pg pool under Prisma (infra/db.ts
// poolOf). Prisma's `include` sent six statements and cost the worker more CPU than reading them
// (bench/README.md, issue 19); a client without a pool reads through Prisma as before.
//
// The rows keep Prisma's shape without naming a column: the statement selects each table's `*`,
// side by side, and the columns are given back to their table by the table each came from (pg's
// field descriptions carry it). Timestamps are `timestamp(3)` columns holding UTC, read as such
// whatever the process's zone.
import pg from 'pg';
import { poolOf, type Db } from '../infra/db.js';
import type { Prisma } from '../prisma/generated/client.js';
import { botSubjectInclude } from './ai-activities.js';

/** What choosing an SLA policy needs to know about the conversation. */
export const planContextInclude = { channel: true, team: { include: { businessHours: true } } } satisfies Prisma.ConversationInclude;

/** What the preparation reads: the plan's context, the customer, and the bot's read (its first public customer or bot messages). */
export const preparationInclude = { ...planContextInclude, customer: true, messages: botSubjectInclude.messages } satisfies Prisma.ConversationInclude;
export type PreparationSubject = Prisma.ConversationGetPayload<{ include: typeof preparationInclude }>;

/** One row per message (at most two; one without a message): each table's columns in this order. The messages as botSubjectInclude's. */
const statement = `SELECT c.*, ch.*, cu.*, t.*, bh.*, m.*
  FROM "Conversation" c
  JOIN "Channel" ch ON ch.id = c."channelId"
  JOIN "Customer" cu ON cu.id = c."customerId"
  LEFT JOIN "Team" t ON t.id = c."teamId"
  LEFT JOIN "BusinessHours" bh ON bh.id = t."businessHoursId"
  LEFT JOIN LATERAL (
    SELECT * FROM "Message" WHERE "conversationId" = c.id AND "authorKind" IN ('customer', 'bot') AND NOT private ORDER BY "createdAt" ASC LIMIT 2
  ) m ON true
  WHERE c.id = $1::uuid`;

/** pg's OID of `timestamp` (without time zone). */
const timestampOid = 1114;

/** The columns hold UTC: '2026-12-07 23:52:02.238' is that instant, not the process's local time. */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === timestampOid
      ? (value: string) => new Date(`${value.replace(' ', 'T')}Z`)
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

type Row = Record<string, unknown>;

/** The columns of one result row, given back to their tables in the statement's order. */
function byTable(fields: pg.FieldDef[], values: unknown[]): Row[] {
  const tables: Row[] = [];
  fields.forEach((field, index) => {
    if (index === 0 || field.tableID !== fields[index - 1]!.tableID) tables.push({});
    tables.at(-1)![field.name] = values[index];
  });
  return tables;
}

/** The conversation with what the preparation reads; throws when it does not exist (as findUniqueOrThrow). */
export async function readForPreparation(db: Db, conversationId: string): Promise<PreparationSubject> {
  const pool = poolOf(db);
  if (!pool) return db.conversation.findUniqueOrThrow({ where: { id: conversationId }, include: preparationInclude });
  const result = await pool.query<unknown[]>({ text: statement, values: [conversationId], rowMode: 'array', types });
  const rows = result.rows.map((values) => byTable(result.fields, values));
  if (!rows[0]) throw new Error(`Conversation ${conversationId} does not exist.`);
  const [conversation, channel, customer, team, hours] = rows[0] as [Row, Row, Row, Row, Row];
  return {
    ...conversation,
    channel,
    customer,
    // A LEFT JOIN that found nothing: every column null.
    team: team.id === null ? null : { ...team, businessHours: hours.id === null ? null : hours },
    messages: rows.flatMap(([, , , , , message]) => (message!.id === null ? [] : [message!])),
  } as unknown as PreparationSubject;
}
