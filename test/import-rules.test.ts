// The import-direction rules of eslint.config.js, proven against snippets linted as if they
// lived at a given path (nothing is written to disk). The repository itself is checked by
// `npm run lint`, which `npm test` runs first.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { beforeAll, describe, expect, it, vi } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The snippets exist on no disk, so the type-aware rules (which need the file in a tsconfig) are
// off here; the import rules need no types.
const eslint = new ESLint({
  cwd: root,
  overrideConfig: {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
});

const core = 'no-restricted-imports';
const typeAware = '@typescript-eslint/no-restricted-imports';

/** Every problem ESLint reports for `code` as the file at `filePath` (relative to the root). */
async function lint(filePath: string, code: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath });
  if (!result) throw new Error(`no lint result for ${filePath}`);
  return result.messages;
}

/** A module that imports one value from `source` and uses it (so only the import can fail). */
const valueImport = (source: string) => `import { thing } from '${source}';\nexport const used = thing;\n`;
const typeImport = (source: string) => `import type { Thing } from '${source}';\nexport type Used = Thing;\n`;

const rulesOf = (messages: Linter.LintMessage[]) => messages.map((message) => message.ruleId);

// The first lint loads the configuration, its plugins and the TypeScript parser: seconds on a busy
// machine, so it happens here, with room, rather than inside the first test's 5 s.
beforeAll(() => lint('domain/warm-up.ts', 'export const nothing = 0;\n'), 60_000);

// A case lints up to ten snippets, ~0.1 s each on a quiet machine; CI runs this file beside the
// integration files on 2 cores, where one case took over the default 5 s.
vi.setConfig({ testTimeout: 30_000 });

describe('workflows/ import rules', () => {
  it('rejects node:fs and bare built-ins, once each, from the type-aware rule', async () => {
    const messages = await lint(
      'workflows/x.ts',
      `import { readFileSync } from 'node:fs';\nimport path from 'path';\nexport const used = [readFileSync, path];\n`,
    );
    expect(rulesOf(messages)).toEqual([typeAware, typeAware]);
    expect(messages.map((message) => message.line)).toEqual([1, 2]);
    expect(messages[0]?.message).toContain('no Node built-ins');
  });

  it('accepts a type-only import from activities/', async () => {
    expect(await lint('workflows/x.ts', typeImport('../activities/index.js'))).toEqual([]);
    expect(await lint('workflows/x.ts', `import { type Thing } from '../activities/index.js';\nexport type Used = Thing;\n`)).toEqual([]);
  });

  it('rejects a value import from activities/', async () => {
    const messages = await lint('workflows/x.ts', valueImport('../activities/index.js'));
    expect(rulesOf(messages)).toEqual([typeAware]);
    expect(messages[0]?.message).toContain('import type');
  });

  it('rejects Prisma, pg, infra/ and the non-workflow Temporal packages', async () => {
    for (const source of [
      '@prisma/client',
      'pg',
      '../infra/db.js',
      '../api/app.js',
      '../realtime/event-stream.js',
      '../worker/main.js',
      '@temporalio/client',
      '@temporalio/activity',
      '@temporalio/worker',
    ]) {
      expect(rulesOf(await lint('workflows/x.ts', valueImport(source))), source).toEqual([typeAware]);
    }
  });

  it('accepts @temporalio/workflow, domain/ and its own modules', async () => {
    for (const source of ['@temporalio/workflow', '../domain/routing.js', './conversation.messages.js']) {
      expect(await lint('workflows/x.ts', valueImport(source)), source).toEqual([]);
    }
  });
});

describe('api/ import rules', () => {
  it('rejects workflow implementations at any depth', async () => {
    expect(rulesOf(await lint('api/routes/x.ts', valueImport('../../workflows/conversation.js')))).toEqual([core]);
    expect(rulesOf(await lint('api/x.ts', valueImport('../workflows/conversation.js')))).toEqual([core]);
    expect(rulesOf(await lint('api/x.ts', valueImport('../workflows/index.js')))).toEqual([core]);
  });

  it('accepts the workflow message contracts', async () => {
    expect(await lint('api/routes/x.ts', valueImport('../../workflows/conversation.messages.js'))).toEqual([]);
    expect(await lint('api/x.ts', valueImport('../workflows/conversation.messages.js'))).toEqual([]);
  });

  it('rejects activities/, worker/ and the in-worker Temporal packages', async () => {
    for (const source of ['../../activities/index.js', '../../worker/create-worker.js', '@temporalio/worker', '@temporalio/activity', '@temporalio/workflow']) {
      expect(rulesOf(await lint('api/services/x.ts', valueImport(source))), source).toEqual([core]);
    }
  });

  it('accepts domain/, infra/, realtime/ and the Temporal client', async () => {
    for (const source of ['../../domain/events.js', '../../infra/db.js', '../../realtime/realtime-server.js', '@temporalio/client', 'node:crypto']) {
      expect(await lint('api/services/x.ts', valueImport(source)), source).toEqual([]);
    }
  });
});

describe('domain/ import rules', () => {
  it('rejects Prisma, Temporal, Node built-ins, other folders and other packages', async () => {
    for (const source of [
      '@prisma/client',
      '@temporalio/workflow',
      'node:crypto',
      'crypto',
      'fs/promises',
      '../infra/db.js',
      '../prisma/generated/enums.js',
      'express',
    ]) {
      expect(rulesOf(await lint('domain/x.ts', valueImport(source))), source).toEqual([core]);
    }
  });

  it('accepts other domain modules and zod', async () => {
    for (const source of ['./vocabulary.js', 'zod']) {
      expect(await lint('domain/x.ts', valueImport(source)), source).toEqual([]);
    }
  });

  it('lets domain tests read prisma/generated and vitest, but not the rest of prisma/', async () => {
    expect(await lint('domain/x.test.ts', valueImport('../prisma/generated/enums.js'))).toEqual([]);
    expect(await lint('domain/x.test.ts', valueImport('vitest'))).toEqual([]);
    expect(rulesOf(await lint('domain/x.test.ts', valueImport('../prisma/seed.js')))).toEqual([core]);
    expect(rulesOf(await lint('domain/x.test.ts', valueImport('@prisma/client')))).toEqual([core]);
  });
});

describe('contract/ import rules', () => {
  it('rejects Node built-ins, Prisma, Temporal, the server folders, the console and other packages', async () => {
    for (const source of [
      'node:crypto',
      'fs/promises',
      '@prisma/client',
      '@temporalio/workflow',
      '../infra/views.js',
      '../api/http-error.js',
      '../realtime/event-stream.js',
      '../prisma/generated/enums.js',
      '../console/src/shared/http',
      'express',
    ]) {
      expect(rulesOf(await lint('contract/x.ts', valueImport(source))), source).toEqual([core]);
    }
    expect(rulesOf(await lint('contract/requests/x.ts', valueImport('../../infra/db.js')))).toEqual([core]);
  });

  it('accepts zod, domain/ and its own modules, from any depth', async () => {
    for (const source of ['zod', '../domain/vocabulary.js', './views.js']) {
      expect(await lint('contract/x.ts', valueImport(source)), source).toEqual([]);
    }
    expect(await lint('contract/requests/x.ts', valueImport('../views.js'))).toEqual([]);
    expect(await lint('contract/requests/x.ts', valueImport('../../domain/vocabulary.js'))).toEqual([]);
  });

  it('lets the article renderer alone import markdown-it', async () => {
    expect(await lint('contract/markdown.ts', valueImport('markdown-it'))).toEqual([]);
    expect(rulesOf(await lint('contract/markdown.ts', valueImport('express')))).toEqual([core]);
    expect(rulesOf(await lint('contract/views.ts', valueImport('markdown-it')))).toEqual([core]);
  });

  it('lets contract tests use vitest, but not the server', async () => {
    expect(await lint('contract/x.test.ts', valueImport('vitest'))).toEqual([]);
    expect(rulesOf(await lint('contract/x.test.ts', valueImport('../infra/db.js')))).toEqual([core]);
  });

  it('is imported by the console, api/, activities/, realtime/ and infra/, never by domain/', async () => {
    expect(await lint('console/src/inbox/x.ts', valueImport('../../../contract/views'))).toEqual([]);
    expect(await lint('console/src/x.ts', valueImport('../../contract/events'))).toEqual([]);
    for (const file of ['api/services/x.ts', 'activities/sub/x.ts', 'realtime/sub/x.ts', 'infra/sub/x.ts']) {
      expect(await lint(file, valueImport('../../contract/views.js')), file).toEqual([]);
    }
    // domain/ runs in the workflow sandbox and is what contract/ builds on: no way back.
    expect(rulesOf(await lint('domain/x.ts', valueImport('../contract/views.js')))).toEqual([core]);
  });
});

describe('realtime/ import rules', () => {
  it('rejects workflows/ (even the message contracts), activities/, api/, worker/ and Temporal', async () => {
    for (const source of ['../workflows/conversation.messages.js', '../activities/index.js', '../api/app.js', '../worker/main.js', '@temporalio/client']) {
      expect(rulesOf(await lint('realtime/x.ts', valueImport(source))), source).toEqual([core]);
    }
  });

  it('accepts domain/, infra/, ws and pg', async () => {
    for (const source of ['../domain/visibility.js', '../infra/event-log.js', 'ws', 'pg']) {
      expect(await lint('realtime/x.ts', valueImport(source)), source).toEqual([]);
    }
  });
});

describe('activities/ import rules', () => {
  it('rejects api/, realtime/, workflow implementations and @temporalio/workflow', async () => {
    for (const source of ['../api/app.js', '../realtime/event-stream.js', '../workflows/conversation.js', '@temporalio/workflow']) {
      expect(rulesOf(await lint('activities/x.ts', valueImport(source))), source).toEqual([core]);
    }
  });

  it('accepts the workflow message contracts, domain/, infra/ and @temporalio/activity', async () => {
    for (const source of ['../workflows/conversation.messages.js', '../domain/routing.js', '../infra/db.js', '@temporalio/activity']) {
      expect(await lint('activities/x.ts', valueImport(source)), source).toEqual([]);
    }
  });
});

describe('console/src import rules', () => {
  it('accepts its own modules and domain/ from any depth', async () => {
    expect(await lint('console/src/x.ts', valueImport('../../domain/vocabulary'))).toEqual([]);
    expect(await lint('console/src/inbox/x.ts', valueImport('../../../domain/events'))).toEqual([]);
    expect(await lint('console/src/inbox/x.ts', valueImport('../shared/http'))).toEqual([]);
    expect(await lint('console/src/inbox/x.ts', valueImport('vue'))).toEqual([]);
  });

  it('accepts contract/ (the wire shapes) from any depth', async () => {
    expect(await lint('console/src/x.ts', valueImport('../../contract/views'))).toEqual([]);
    expect(await lint('console/src/admin/x.ts', valueImport('../../../contract/errors'))).toEqual([]);
  });

  it('rejects every other folder outside console/', async () => {
    expect(rulesOf(await lint('console/src/x.ts', valueImport('../../api/app')))).toEqual([core]);
    expect(rulesOf(await lint('console/src/inbox/x.ts', valueImport('../../../infra/db')))).toEqual([core]);
    expect(rulesOf(await lint('console/src/inbox/x.ts', valueImport('../../../workflows/conversation.messages')))).toEqual([core]);
  });

  it('rejects server-only packages and Node built-ins', async () => {
    for (const source of ['@prisma/client', '@temporalio/client', 'pg', 'node:fs', 'path']) {
      expect(rulesOf(await lint('console/src/inbox/x.ts', valueImport(source))), source).toEqual([core]);
    }
  });
});
