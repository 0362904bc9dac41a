// Read-only queries of customers: the Contacts list and its search, a profile with the
// conversations and tickets the viewer may see, the custom attribute definitions, and the
// journey — every event of the customer the viewer may see.
import type { CustomerAttributeDefinitionView, CustomerListItem, CustomerPage, CustomerProfileView } from '../../contract/customer-views.js';
import type { CustomerListQuery } from '../../contract/requests/customers.js';
import type { StaffViewer, Viewer } from '../../domain/visibility.js';
import { inBothChineseScripts } from '../../infra/chinese-text.js';
import type { Db } from '../../infra/db.js';
import { toEventView, visibleEvents } from '../../infra/event-log.js';
import { conversationInclude, ticketInclude, toConversationView, toTicketView } from '../../infra/views.js';
import { Prisma } from '../../prisma/generated/client.js';
import { escapeLike } from '../admin-fields.js';
import { conversationsVisibleTo } from './conversation-finder.js';
import { ticketsVisibleTo } from './ticket-finder.js';

/** Events one journey shows at most, oldest first. */
export const journeyLength = 1000;

/**
 * The customer's events the viewer may see now (infra/event-log.ts visibleEvents, the same
 * judgement as the socket's backlog), oldest first; null when there is no such customer.
 */
export async function findCustomerJourney(db: Db, viewer: Viewer, customerId: string) {
  const customer = await db.customer.findUnique({ where: { id: customerId }, select: { id: true } });
  if (!customer) return null;
  const rows = await db.event.findMany({ where: { customerId }, orderBy: { id: 'asc' }, take: journeyLength });
  return (await visibleEvents(db, viewer, rows)).map(toEventView);
}

/** Conversations and tickets a profile lists at most, newest first. */
export const profileListLength = 50;

const listColumns = {
  id: true,
  name: true,
  email: true,
  phone: true,
  company: true,
  vip: true,
  tags: true,
  lastSeenAt: true,
  createdAt: true,
  _count: { select: { conversations: true } },
} as const satisfies Prisma.CustomerSelect;

type ListRow = Prisma.CustomerGetPayload<{ select: typeof listColumns }>;

function toListItem(row: ListRow): CustomerListItem {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    company: row.company,
    vip: row.vip,
    tags: row.tags,
    lastSeenAt: row.lastSeenAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    conversationCount: row._count.conversations,
  };
}

/**
 * The Contacts list: every contact (erased ones left out), last seen first, a page at a time. `q`
 * matches a substring of the name, email, phone (also ignoring its spaces and dashes), company,
 * external id or any custom attribute value, case-insensitively and in either Chinese script
 * (张伟 finds 張偉): contacts are stored as typed.
 */
export async function findCustomers(db: Db, query: CustomerListQuery): Promise<CustomerPage> {
  const conditions: Prisma.Sql[] = [Prisma.sql`c."erasedAt" IS NULL`];
  if (query.q) {
    const patterns = inBothChineseScripts(query.q).map((variant) => `%${escapeLike(variant)}%`);
    // A phone number typed another way (138-0000 0000 for 13800000000) matches on its digits.
    const phoneLike = /^[+0-9 ()./-]+$/.test(query.q);
    const digits = query.q.replace(/[^0-9]/g, '');
    conditions.push(Prisma.sql`(
      c.name ILIKE ANY(${patterns}) OR c.email ILIKE ANY(${patterns}) OR c.phone ILIKE ANY(${patterns})
      OR c.company ILIKE ANY(${patterns}) OR c."externalId" ILIKE ANY(${patterns})
      OR EXISTS (SELECT 1 FROM jsonb_each_text(CASE WHEN jsonb_typeof(c.attributes) = 'object' THEN c.attributes ELSE '{}'::jsonb END) a
                 WHERE a.value ILIKE ANY(${patterns}))
      ${phoneLike && digits.length >= 3 ? Prisma.sql`OR regexp_replace(c.phone, '[^0-9]', '', 'g') LIKE ${`%${digits}%`}` : Prisma.empty}
    )`);
  }
  const where = Prisma.join(conditions, ' AND ');
  const offset = (query.page - 1) * query.pageSize;
  const [ids, [counted]] = await Promise.all([
    db.$queryRaw<{ id: string }[]>`
      SELECT c.id FROM "Customer" c WHERE ${where}
      ORDER BY c."lastSeenAt" DESC NULLS LAST, c."createdAt" DESC, c.id
      LIMIT ${query.pageSize} OFFSET ${offset}`,
    db.$queryRaw<{ total: bigint }[]>`SELECT count(*) AS total FROM "Customer" c WHERE ${where}`,
  ]);
  const rows = await db.customer.findMany({ where: { id: { in: ids.map((row) => row.id) } }, select: listColumns });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return {
    customers: ids.flatMap((row) => {
      const found = byId.get(row.id);
      return found ? [toListItem(found)] : [];
    }),
    total: Number(counted?.total ?? 0),
    page: query.page,
    pageSize: query.pageSize,
  };
}

/** The profile with the conversations and tickets the viewer may see; null when there is no such contact. */
export async function findCustomerProfile(db: Db, viewer: StaffViewer, customerId: string): Promise<CustomerProfileView | null> {
  const row = await db.customer.findUnique({
    where: { id: customerId },
    select: {
      ...listColumns,
      locale: true,
      timeZone: true,
      notes: true,
      externalId: true,
      attributes: true,
      _count: { select: { conversations: true, tickets: true } },
    },
  });
  if (!row) return null;
  const [conversations, tickets] = await Promise.all([
    db.conversation.findMany({
      where: { AND: [{ customerId }, conversationsVisibleTo(viewer)] },
      include: conversationInclude,
      orderBy: { lastMessageAt: 'desc' },
      take: profileListLength,
    }),
    db.ticket.findMany({
      where: { AND: [{ customerId }, ticketsVisibleTo(viewer)] },
      include: ticketInclude,
      orderBy: { createdAt: 'desc' },
      take: profileListLength,
    }),
  ]);
  return {
    ...toListItem(row),
    locale: row.locale,
    timeZone: row.timeZone,
    notes: row.notes,
    externalId: row.externalId,
    attributes: attributeValues(row.attributes),
    ticketCount: row._count.tickets,
    conversations: conversations.map(toConversationView),
    tickets: tickets.map(toTicketView),
  };
}

/** The stored custom attribute values: an object of scalars (anything else stored by an integration is left out). */
export function attributeValues(value: Prisma.JsonValue): Record<string, string | number | boolean | null> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter(
      (entry): entry is [string, string | number | boolean | null] => entry[1] === null || ['string', 'number', 'boolean'].includes(typeof entry[1]),
    ),
  );
}

/** The custom attributes admins defined, in their order. */
export async function findCustomerAttributes(db: Pick<Db, 'customerAttribute'>): Promise<CustomerAttributeDefinitionView[]> {
  const rows = await db.customerAttribute.findMany({ orderBy: [{ position: 'asc' }, { key: 'asc' }] });
  return rows.map(({ key, labelEn, labelZh, type, options }) => ({ key, labelEn, labelZh, type, options }));
}
