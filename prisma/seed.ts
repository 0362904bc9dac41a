// What a start writes into a migrated database: in production only the base records every
// deployment needs (the organisation, one channel of each kind), never a user; in the demo the
// demo data (prisma/demo-data.ts) as well. Idempotent: every row is upserted by its natural key
// (or created only when missing), so running it twice changes nothing and never duplicates.
import { randomUUID } from 'node:crypto';
import type { Db } from '../infra/db.js';
import { hashPassword } from '../infra/auth/passwords.js';
import { searchTextOf } from '../infra/search/text.js';
import type { Prisma } from './generated/client.js';
import { demoArticles, demoCannedResponses, demoChannels, demoCustomer, demoPassword, demoSlaPolicies, demoTeams, demoUsers } from './demo-data.js';

export type StartMode = 'demo' | 'production';

/** What `npm start` writes before the API runs: the demo data for the demo, the base records in production. */
export async function seedForStart(db: Db, mode: StartMode): Promise<void> {
  if (mode === 'production') await seedBaseData(db);
  else await seedDemoData(db);
}

/**
 * Base channels of a production deployment. The widget needs an enabled web_chat channel (its
 * allowed origins start empty: PUBLIC_URL's origin is allowed anyway); the email channel starts
 * disabled until an admin gives it the real mailbox address.
 */
const baseChannels = [
  { kind: 'web_chat', name: 'Website chat', enabled: true, settings: { allowedOrigins: [] } },
  { kind: 'email', name: 'Support email', enabled: false, settings: { address: 'support@example.com' } },
  { kind: 'api', name: 'API', enabled: true, settings: {} },
] as const;

/**
 * The organisation row and one channel of each kind that is missing one (a demo database already
 * has them); no users, teams, articles or customers. The self-service bot stays off
 * (domain/self-service.ts) until an admin turns it on.
 */
export async function seedBaseData(db: Db): Promise<void> {
  await db.organization.upsert({
    where: { id: 1 },
    create: { id: 1, name: 'Seamless', defaultLocale: 'en', timeZone: 'UTC', settings: {} },
    update: {},
  });
  for (const channel of baseChannels) {
    if (await db.channel.findFirst({ where: { kind: channel.kind }, select: { id: true } })) continue;
    await db.channel.upsert({ where: { name: channel.name }, create: { ...channel, settings: json(channel.settings) }, update: {} });
  }
}

/** Every user of the demo signs in with demoPassword: never in production (seedForStart). */
export async function seedDemoData(db: Db): Promise<void> {
  await db.organization.upsert({
    where: { id: 1 },
    create: {
      id: 1,
      name: 'Seamless Demo',
      defaultLocale: 'en',
      timeZone: 'Europe/London',
      settings: { selfService: { enabled: true, threshold: null, idleMinutes: 30 } },
    },
    update: {},
  });

  for (const channel of demoChannels) {
    await db.channel.upsert({
      where: { name: channel.name },
      create: { kind: channel.kind, name: channel.name, settings: json(channel.settings) },
      update: {},
    });
  }

  const teamIds = new Map<string, string>();
  for (const team of demoTeams) {
    const hours = team.businessHours;
    const businessHours = await db.businessHours.upsert({
      where: { name: hours.name },
      create: { name: hours.name, timeZone: hours.timeZone, weekly: json(hours.weekly), holidays: json(hours.holidays) },
      update: {},
    });
    const row = await db.team.upsert({
      where: { name: team.name },
      create: { name: team.name, tier: team.tier, businessHoursId: businessHours.id },
      update: {},
    });
    teamIds.set(team.name, row.id);
  }

  // One hash for all demo users: argon2 is deliberately slow.
  const passwordHash = await hashPassword(demoPassword);
  const userIds = new Map<string, string>();
  for (const user of demoUsers) {
    const row = await db.user.upsert({
      where: { email: user.email },
      create: {
        email: user.email,
        name: user.name,
        passwordHash,
        role: user.role,
        tier: user.tier,
        teamId: user.team ? teamIds.get(user.team) : null,
        skills: [...user.skills],
        capacity: user.capacity,
        locale: user.locale,
        timeZone: user.timeZone,
      },
      update: {},
    });
    userIds.set(user.email, row.id);
  }
  for (const team of demoTeams) {
    if (team.leadEmail) await db.team.update({ where: { name: team.name }, data: { leadId: userIds.get(team.leadEmail) } });
  }

  await db.customer.upsert({
    where: { email: demoCustomer.email },
    create: { name: demoCustomer.name, email: demoCustomer.email, locale: demoCustomer.locale },
    update: {},
  });

  const groupIds = new Map<string, string>();
  const adminId = userIds.get('admin@seamless.local');
  for (const article of demoArticles) {
    const questions = [...(article.questions ?? [])];
    const existing = await db.knowledgeArticle.findUnique({ where: { locale_slug: { locale: article.locale, slug: article.slug } } });
    if (existing) {
      groupIds.set(article.group, existing.groupId);
      // Rows seeded before example questions existed get the demo ones, in the row and its first
      // version, unless an admin has edited the article since (then its questions are theirs).
      const addQuestions = existing.version === 1 && existing.questions.length === 0 && questions.length > 0;
      // Rows seeded before the search column existed get their search text once.
      if (existing.searchText === '' || addQuestions) {
        const current = addQuestions ? questions : existing.questions;
        await db.$transaction([
          db.knowledgeArticle.update({
            where: { id: existing.id },
            data: { questions: current, searchText: searchTextOf(existing.title, existing.body, current) },
          }),
          db.knowledgeArticleVersion.updateMany({ where: { articleId: existing.id, version: 1 }, data: { questions: current } }),
        ]);
      }
      continue;
    }
    let groupId = groupIds.get(article.group);
    if (!groupId) {
      groupId = randomUUID();
      groupIds.set(article.group, groupId);
    }
    await db.knowledgeArticle.create({
      data: {
        groupId,
        locale: article.locale,
        slug: article.slug,
        title: article.title,
        body: article.body,
        searchText: searchTextOf(article.title, article.body, questions),
        category: article.category,
        tags: [...article.tags],
        questions,
        status: 'published',
        publishedAt: new Date(),
        authorId: adminId,
        versions: { create: { version: 1, title: article.title, body: article.body, questions, editorId: adminId } },
      },
    });
  }

  for (const policy of demoSlaPolicies) {
    await db.slaPolicy.upsert({
      where: { name: policy.name },
      create: {
        name: policy.name,
        priority: policy.priority,
        firstResponseMinutes: policy.firstResponseMinutes,
        nextResponseMinutes: policy.nextResponseMinutes,
        resolutionMinutes: policy.resolutionMinutes,
        warningPercent: policy.warningPercent,
        escalation: json(policy.escalation),
      },
      update: {},
    });
  }

  for (const response of demoCannedResponses) {
    await db.cannedResponse.upsert({
      where: { shortcut_locale: { shortcut: response.shortcut, locale: response.locale } },
      create: {
        shortcut: response.shortcut,
        locale: response.locale,
        title: response.title,
        body: response.body,
        teamId: response.team ? teamIds.get(response.team) : null,
      },
      update: {},
    });
  }
}

/** Demo data is plain JSON already; this only tells Prisma's input type so. */
const json = (value: unknown) => value as Prisma.InputJsonValue;
