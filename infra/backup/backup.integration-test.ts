// A backup of the demo data plus conversations, messages and attachment files, restored into a
// fresh database and a fresh attachment folder: every row of every table and every file's bytes
// come back; restoring over data is refused and changes nothing.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createEmptyDatabase } from '../../test/support/empty-database.js';
import { cloneTemplateDatabase } from '../../test/support/test-database.js';
import { createLocalDiskStore } from '../attachments/local-disk-store.js';
import { createDb, type Db } from '../db.js';
import { applyMigrations, readMigrations } from '../../prisma/migrate/migrations.js';
import { backup, findPgTools, restore, RestoreRefused } from './backup.js';

let folder: string;
let sourceUrl: string;
let source: Db;
const files: { key: string; bytes: Buffer }[] = [];

/** Each table's row count and a digest of all its rows (generated columns included). */
async function contentsOf(databaseUrl: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> '_prisma_migrations' ORDER BY 1`,
    );
    const contents: Record<string, string> = {};
    for (const { name } of tables.rows) {
      const result = await client.query<{ n: number; digest: string | null }>(
        `SELECT count(*)::int AS n, md5(string_agg(t::text, E'\\n' ORDER BY t::text)) AS digest FROM "${name}" t`,
      );
      contents[name] = `${result.rows[0]!.n} ${result.rows[0]!.digest}`;
    }
    return contents;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'seamless-backup-'));
  sourceUrl = await cloneTemplateDatabase(inject('postgresAdminUrl'));
  source = createDb(sourceUrl, { poolSize: 2 });
  const store = createLocalDiskStore({ root: path.join(folder, 'source-attachments') });
  const channel = await source.channel.findFirstOrThrow({ where: { kind: 'web_chat' } });
  const customer = await source.customer.create({
    data: { name: 'Backup Customer', email: `backup-${randomUUID()}@example.com`, tags: ['vip', 'a "quoted" tag'] },
  });
  for (let i = 0; i < 3; i += 1) {
    const conversation = await source.conversation.create({
      data: { workflowId: `conversation-${randomUUID()}`, customerId: customer.id, channelId: channel.id, subject: `Backup question ${i}` },
    });
    const message = await source.message.create({
      data: {
        conversationId: conversation.id,
        authorKind: 'customer',
        customerId: customer.id,
        body: `Line one ${i}\nline two, "quoted", 中文 \\ backslash`,
        metadata: { n: i },
      },
    });
    // One small file and one larger than a chunk of the archive.
    const bytes = randomBytes(i === 0 ? 1_300_000 : 2_000 + i);
    const put = await store.put(bytes);
    if (!put.ok) throw new Error(put.refusal.message);
    files.push({ key: put.stored.key, bytes });
    await source.attachment.create({
      data: {
        conversationId: conversation.id,
        messageId: message.id,
        uploaderKind: 'customer',
        uploaderId: customer.id,
        storageKey: put.stored.key,
        size: put.stored.size,
        sha256: put.stored.sha256,
        contentType: put.stored.contentType,
        fileName: `file-${i}.bin`,
      },
    });
  }
});

afterAll(async () => {
  await source?.$disconnect();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('backup and restore', () => {
  // The pg_dump round trip runs where a pg_dump as new as the server is found (PG_DUMP, PG_RESTORE or the PATH).
  it.for(['built-in', 'pg_dump'] as const)('(%s) restore a fresh database and attachment folder with every row and every file', async (format, context) => {
    const tools = format === 'pg_dump' ? await findPgTools(sourceUrl) : null;
    if (tools && !(tools.pgDump && tools.pgRestore)) return context.skip(tools.reason);
    const withTools = { pgRestore: tools?.pgRestore, pgRestoreMajor: tools?.pgRestoreMajor };
    const archive = path.join(folder, `backup-${format}.seamless.gz`);
    const summary = await backup({ databaseUrl: sourceUrl, attachmentsDir: path.join(folder, 'source-attachments'), out: archive, pgDump: tools?.pgDump });
    expect(summary.files).toBe(files.length);
    expect(summary.tables.Conversation).toBeGreaterThanOrEqual(3);

    const targetUrl = await createEmptyDatabase(inject('postgresAdminUrl'), 'seamless_restore');
    const targetAttachments = path.join(folder, `restored-attachments-${format}`);
    const restored = await restore({
      databaseUrl: targetUrl,
      attachmentsDir: targetAttachments,
      in: archive,
      ...withTools,
    });
    expect(restored.tables).toEqual(summary.tables);

    // Every table, row for row.
    const before = await contentsOf(sourceUrl);
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['Conversation', 'Message', 'Customer', 'Attachment', 'Event']));
    expect(await contentsOf(targetUrl)).toEqual(before);

    const target = createDb(targetUrl, { poolSize: 2 });
    try {
      // Readable through the client, and numbering goes on where the backup left off.
      const conversations = await target.conversation.findMany({
        where: { subject: { startsWith: 'Backup question' } },
        include: { messages: true, attachments: true, customer: true },
      });
      expect(conversations).toHaveLength(3);
      expect(conversations.every((conversation) => conversation.customer.tags.includes('a "quoted" tag'))).toBe(true);
      expect(conversations.map((conversation) => conversation.messages[0]!.body).sort()).toEqual(
        [0, 1, 2].map((i) => `Line one ${i}\nline two, "quoted", 中文 \\ backslash`),
      );
      const highest = await source.conversation.aggregate({ _max: { number: true } });
      const next = await target.conversation.create({
        data: { workflowId: `conversation-${randomUUID()}`, customerId: conversations[0]!.customerId, channelId: conversations[0]!.channelId },
      });
      expect(next.number).toBeGreaterThan(highest._max.number!);

      const restoredStore = createLocalDiskStore({ root: targetAttachments });
      for (const file of files) expect((await restoredStore.read(file.key))?.equals(file.bytes)).toBe(true);

      // Over a database with data in it: refused, nothing changed.
      const now = await contentsOf(targetUrl);
      await expect(restore({ databaseUrl: targetUrl, attachmentsDir: null, in: archive, ...withTools })).rejects.toThrow(RestoreRefused);
      await expect(restore({ databaseUrl: targetUrl, attachmentsDir: null, in: archive, ...withTools })).rejects.toThrow(/not empty/);
      expect(await contentsOf(targetUrl)).toEqual(now);
      // Into an attachment folder that holds files: refused too, before the empty database is touched.
      const emptyUrl = await createEmptyDatabase(inject('postgresAdminUrl'), 'seamless_restore');
      await expect(restore({ databaseUrl: emptyUrl, attachmentsDir: targetAttachments, in: archive, ...withTools })).rejects.toThrow(/already holds files/);
      expect(await contentsOf(emptyUrl)).toEqual({});
    } finally {
      await target.$disconnect();
    }
  });

  it('refuses what is not a backup or is from a newer version, and a cut-short backup loads no rows', async () => {
    const notABackup = path.join(folder, 'not-a-backup');
    await writeFile(notABackup, 'hello');
    const targetUrl = await createEmptyDatabase(inject('postgresAdminUrl'), 'seamless_restore');
    await expect(restore({ databaseUrl: targetUrl, attachmentsDir: null, in: notABackup })).rejects.toThrow(/not a Seamless backup/);
    await expect(restore({ databaseUrl: targetUrl, attachmentsDir: null, in: path.join(folder, 'missing.gz') })).rejects.toThrow(/does not exist/);
    expect(await contentsOf(targetUrl)).toEqual({});

    const future = path.join(folder, 'future.seamless.gz');
    const futureHeader = { format: 'seamless-backup', version: 1, createdAt: new Date().toISOString(), migrations: ['29991231000000_from_the_future'] };
    await writeFile(future, gzipSync(`${JSON.stringify(futureHeader)}\n${JSON.stringify({ end: true, tables: {}, files: 0 })}\n`));
    await expect(restore({ databaseUrl: targetUrl, attachmentsDir: null, in: future })).rejects.toThrow(/made by a newer Seamless/);
    expect(await contentsOf(targetUrl)).toEqual({});

    const archive = path.join(folder, 'cut.seamless.gz');
    await backup({ databaseUrl: sourceUrl, attachmentsDir: null, out: archive });
    const lines = gunzipSync(await readFile(archive))
      .toString()
      .trimEnd()
      .split('\n');
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ end: true });
    await writeFile(archive, gzipSync(lines.slice(0, -1).join('\n')));
    await expect(restore({ databaseUrl: targetUrl, attachmentsDir: path.join(folder, 'cut-attachments'), in: archive })).rejects.toThrow(/incomplete/);
    expect(Object.values(await contentsOf(targetUrl)).every((content) => content.startsWith('0 '))).toBe(true);
  });

  it("restores an earlier release's backup, then applies this version's newer migrations", async () => {
    const previousRelease = '20261206233158_attachments';
    const oldUrl = await createEmptyDatabase(inject('postgresAdminUrl'), 'seamless_old');
    await applyMigrations(oldUrl, { upTo: previousRelease });
    const client = new pg.Client({ connectionString: oldUrl });
    await client.connect();
    const customerId = randomUUID();
    try {
      await client.query(`INSERT INTO "Customer" (id, name, "updatedAt") VALUES ($1, 'Old Customer', now())`, [customerId]);
    } finally {
      await client.end();
    }
    const archive = path.join(folder, 'old.seamless.gz');
    const summary = await backup({ databaseUrl: oldUrl, attachmentsDir: null, out: archive });
    expect(summary.migrations.at(-1)).toBe(previousRelease);

    const targetUrl = await createEmptyDatabase(inject('postgresAdminUrl'), 'seamless_restore');
    const restored = await restore({ databaseUrl: targetUrl, attachmentsDir: null, in: archive });
    const newer = (await readMigrations()).map((migration) => migration.name).filter((name) => name > previousRelease);
    expect(restored.upgradedWith).toEqual(newer);
    const target = createDb(targetUrl, { poolSize: 1 });
    try {
      expect(await target.customer.findUniqueOrThrow({ where: { id: customerId } })).toMatchObject({ name: 'Old Customer', erasedAt: null });
    } finally {
      await target.$disconnect();
    }
  });

  it('uses pg_dump only when it is at least as new as the server, and refuses a pg_dump archive without a pg_restore as new', async () => {
    const fakeTool = async (name: string, version: string) => {
      const file = path.join(folder, name);
      await writeFile(file, `#!/bin/sh\necho "${name} (PostgreSQL) ${version}"\n`, { mode: 0o755 });
      return file;
    };
    const serverMajor = (await findPgTools(sourceUrl, { PG_DUMP: path.join(folder, 'none'), PG_RESTORE: path.join(folder, 'none') })).serverMajor;
    expect(serverMajor).toBeGreaterThanOrEqual(15);
    const older = await findPgTools(sourceUrl, { PG_DUMP: await fakeTool('pg_dump', `${serverMajor - 1}.4`), PG_RESTORE: path.join(folder, 'none') });
    expect(older).toMatchObject({ pgDump: null, pgRestore: null });
    expect(older.reason).toContain(`is version ${serverMajor - 1}, the server PostgreSQL ${serverMajor}`);
    const newer = await findPgTools(sourceUrl, {
      PG_DUMP: await fakeTool('pg_dump', `${serverMajor}.1`),
      PG_RESTORE: await fakeTool('pg_restore', `${serverMajor}.1`),
    });
    expect(newer).toMatchObject({ pgDump: path.join(folder, 'pg_dump'), pgRestore: path.join(folder, 'pg_restore'), pgRestoreMajor: serverMajor });

    // An archive whose database part is a pg_dump of a newer major: refused before anything changes.
    const archive = path.join(folder, 'dump.seamless.gz');
    const migrations = (await readMigrations()).map((migration) => migration.name);
    const header = {
      format: 'seamless-backup',
      version: 1,
      createdAt: new Date().toISOString(),
      migrations,
      database: 'pg_dump',
      pgDumpMajor: serverMajor + 1,
    };
    await writeFile(archive, gzipSync(`${JSON.stringify(header)}\n${JSON.stringify({ end: true, tables: {}, files: 0 })}\n`));
    const targetUrl = await createEmptyDatabase(inject('postgresAdminUrl'), 'seamless_restore');
    await expect(
      restore({ databaseUrl: targetUrl, attachmentsDir: null, in: archive, pgRestore: newer.pgRestore, pgRestoreMajor: serverMajor }),
    ).rejects.toThrow(new RegExp(`needs pg_restore ${serverMajor + 1} or newer`));
    expect(await contentsOf(targetUrl)).toEqual({});
  });
});
