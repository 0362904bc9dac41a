import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { verifyPassword } from '../infra/auth/passwords.js';
import { createDb, type Db } from '../infra/db.js';
import { searchTextOf } from '../infra/search/text.js';
import { cloneTemplateDatabase } from '../test/support/test-database.js';
import { databaseFingerprint } from '../test/support/fingerprint.js';
import { demoArticles, demoPassword, demoUsers } from './demo-data.js';
import { seedDemoData } from './seed.js';

let db: Db;
beforeAll(async () => {
  db = createDb(await cloneTemplateDatabase(inject('postgresAdminUrl')), { poolSize: 2 });
});
afterAll(() => db?.$disconnect());

describe('the demo seed', () => {
  it('creates an admin, junior and expert agents in two teams, a customer and articles in English and Chinese', async () => {
    const users = await db.user.findMany({ include: { team: true } });
    expect(users.map((user) => user.email).sort()).toEqual(demoUsers.map((user) => user.email).sort());
    expect(users.some((user) => user.role === 'admin')).toBe(true);
    expect(new Set(users.filter((user) => user.role === 'agent').map((user) => user.tier))).toEqual(new Set(['junior', 'expert']));
    expect(new Set(users.flatMap((user) => (user.team ? [user.team.name] : [])))).toEqual(new Set(['Frontline', 'Specialists']));
    expect(await verifyPassword(users[0]!.passwordHash, demoPassword)).toBe(true);
    expect(await db.customer.count({ where: { email: 'customer@example.com' } })).toBe(1);

    const articles = await db.knowledgeArticle.findMany({ where: { status: 'published' } });
    expect(articles.length).toBe(demoArticles.length);
    expect(articles.length).toBeGreaterThanOrEqual(12);
    expect(new Set(articles.map((article) => article.locale))).toEqual(new Set(['en', 'zh-CN']));
    // Translations of one topic share a group.
    const groups = new Map<string, string[]>();
    for (const article of articles) groups.set(article.groupId, [...(groups.get(article.groupId) ?? []), article.locale]);
    expect([...groups.values()].every((locales) => locales.length === 2)).toBe(true);
    // Example questions in both languages, searchable.
    const withQuestions = articles.filter((article) => article.questions.length > 0);
    expect(new Set(withQuestions.map((article) => article.locale))).toEqual(new Set(['en', 'zh-CN']));
    for (const article of withQuestions) expect(article.searchText).toBe(searchTextOf(article.title, article.body, article.questions));
  });

  it('changes nothing when run again', async () => {
    const before = await databaseFingerprint(db);
    await seedDemoData(db);
    expect(await databaseFingerprint(db)).toEqual(before);
  });

  it('gives demo articles seeded before example questions existed theirs, unless an admin edited them since', async () => {
    const demoQuestions = (slug: string) => demoArticles.find((article) => article.slug === slug && article.locale === 'en')!.questions!;
    const untouched = await db.knowledgeArticle.findFirstOrThrow({ where: { slug: 'card-not-arrived', locale: 'en' } });
    const edited = await db.knowledgeArticle.findFirstOrThrow({ where: { slug: 'refund-status', locale: 'en' } });
    // As an older seed left them: no questions (the edited one at version 2).
    await db.knowledgeArticleVersion.updateMany({ where: { articleId: { in: [untouched.id, edited.id] } }, data: { questions: [] } });
    await db.knowledgeArticle.update({ where: { id: untouched.id }, data: { questions: [], searchText: searchTextOf(untouched.title, untouched.body) } });
    await db.knowledgeArticle.update({ where: { id: edited.id }, data: { questions: [], version: 2 } });

    await seedDemoData(db);
    const restored = await db.knowledgeArticle.findUniqueOrThrow({ where: { id: untouched.id }, include: { versions: true } });
    expect(restored.questions).toEqual(demoQuestions('card-not-arrived'));
    expect(restored.searchText).toBe(searchTextOf(restored.title, restored.body, restored.questions));
    expect(restored.versions.map((version) => version.questions)).toEqual([demoQuestions('card-not-arrived')]);
    expect((await db.knowledgeArticle.findUniqueOrThrow({ where: { id: edited.id } })).questions).toEqual([]);
  });
});
