// ESLint flat config. Besides typescript-eslint's `recommended` rules (not type-checked: fast),
// it enforces which part may import which (see each folder's README.md). Patterns are regexes
// matched against the import string as written; relative imports use `.js` (NodeNext), the
// console's use none (Vite).
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const serverFolders = ['domain', 'workflows', 'activities', 'api', 'realtime', 'worker', 'infra', 'prisma', 'scripts', 'test', 'bench', 'eval'];
const topLevelFolders = [...serverFolders, 'contract', 'console', 'node_modules'];

const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `fs`, `fs/promises`, `node:fs`, ... (bare names too: `domain` is a built-in, `../domain/x.js` is not). */
const builtinNames = [...new Set(builtinModules.map((name) => name.replace(/^node:/, '').split('/')[0]))];
const nodeBuiltin = `^(?:node:|(?:${builtinNames.map(escapeRegex).join('|')})(?:/|$))`;
/** A package and its subpaths: `pkg('pg')` matches `pg` and `pg/lib/x`, not `pg-pool`. */
const pkg = (...names) => `^(?:${names.map(escapeRegex).join('|')})(?:/|$)`;
/** A relative import into one of the repository's top-level folders, from any depth. */
const into = (...folders) => `^(?:\\.\\./)+(?:${folders.join('|')})(?:/|$)`;
/** Into workflows/, except the `*.messages` contracts (signals, queries, updates, input types). */
const workflowImplementation = '^(?:\\.\\./)+workflows(?:$|/(?!.*\\.messages(?:\\.js)?$))';

/** domain/: pure code that runs in the workflow sandbox and in the browser. */
function domainPatterns({ test }) {
  // luxon: time zones and DST for business-hours arithmetic (pure; it reads the clock only
  // when asked for "now", which domain/ never does). re2js: linear-time matching of rule
  // patterns (pure JavaScript, no wasm or fs, so it runs in the sandbox and the browser).
  const allowedPackages = test ? ['zod', 'luxon', 're2js', 'vitest'] : ['zod', 'luxon', 're2js'];
  const otherFolders = topLevelFolders.filter((folder) => folder !== 'domain' && !(test && folder === 'prisma'));
  return [
    { regex: nodeBuiltin, message: 'domain/ is pure: no Node built-ins (it runs in the Temporal workflow sandbox and in the browser).' },
    { regex: '^@prisma/', message: 'domain/ does no I/O: no Prisma. Take plain data as arguments; activities/ and api/ read and write.' },
    { regex: '^@temporalio/', message: 'domain/ does not know Temporal: workflows/ call domain/, not the other way round.' },
    { regex: into(...otherFolders), message: 'domain/ may import only other domain/ modules, zod, luxon and re2js.' },
    ...(test
      ? [
          {
            regex: '^(?:\\.\\./)+prisma(?:$|/(?!generated/))',
            message: 'domain/ tests may read prisma/generated (to compare vocabularies), nothing else in prisma/.',
          },
        ]
      : []),
    {
      // Any other package; the groups above already cover built-ins, Prisma and Temporal.
      regex: `^(?!\\.|${allowedPackages.map(escapeRegex).join('(?:/|$)|')}(?:/|$)|@prisma/|@temporalio/|${nodeBuiltin.slice(1)})`,
      message: `domain/ may import only other domain/ modules, zod, re2js and ${test ? 'luxon (tests: also vitest)' : 'luxon'}.`,
    },
  ];
}

const workflowsPatterns = [
  { regex: nodeBuiltin, message: 'workflows/ run in the deterministic Temporal sandbox: no Node built-ins. Do I/O in an activity.' },
  { regex: '^@prisma/', message: 'workflows/ must not touch the database: call an activity.' },
  { regex: pkg('pg'), message: 'workflows/ must not touch the database: call an activity.' },
  {
    regex: pkg('@temporalio/client', '@temporalio/worker', '@temporalio/activity'),
    message: 'workflows/ may use only @temporalio/workflow (the others are not deterministic or not sandbox-safe).',
  },
  {
    regex: into('infra', 'api', 'realtime', 'prisma', 'worker', 'console'),
    message: 'workflows/ may import only @temporalio/workflow, domain/, their own modules and `import type` from activities/.',
  },
  {
    regex: into('activities'),
    allowTypeImports: true,
    message: 'workflows/ may import activities/ only with `import type` (for proxyActivities<T>()); the code runs in the worker, not in the sandbox.',
  },
];

const apiPatterns = [
  { regex: workflowImplementation, message: 'api/ may import only the workflow contracts (workflows/*.messages.js), never workflow implementations.' },
  { regex: into('activities'), message: 'api/ never calls activities: signal, update or start the workflow instead.' },
  { regex: into('worker'), message: 'api/ must not import the worker process.' },
  {
    regex: pkg('@temporalio/worker', '@temporalio/activity', '@temporalio/workflow'),
    message: 'api/ talks to Temporal through @temporalio/client only (workflow contracts come from workflows/*.messages.js).',
  },
];

const activitiesPatterns = [
  { regex: into('api'), message: 'activities/ must not import api/.' },
  { regex: workflowImplementation, message: 'activities/ may import only the workflow contracts (workflows/*.messages.js), never workflow implementations.' },
  { regex: into('realtime'), message: 'activities/ must not import realtime/: append to the event log, the realtime server pushes it.' },
  {
    regex: pkg('@temporalio/workflow'),
    message: 'activities/ run outside the sandbox: use @temporalio/activity or @temporalio/common, not @temporalio/workflow.',
  },
];

const realtimePatterns = [
  {
    regex: into('workflows', 'activities', 'api', 'worker'),
    message: 'realtime/ may import only domain/, contract/, infra/, ws and pg: never workflows/, activities/, api/ or worker/.',
  },
  { regex: '^@temporalio/', message: 'realtime/ pushes event-log entries; it does not talk to Temporal.' },
];

/**
 * contract/: the wire shapes every side shares (view types, request schemas, the error body, the
 * event registry). The console bundles it for the browser, so it is as pure as domain/ and may
 * lean only on domain/ (the vocabulary) and zod.
 */
function contractPatterns({ test, alsoAllowed = [] }) {
  const allowedPackages = [...(test ? ['zod', 'vitest'] : ['zod']), ...alsoAllowed];
  const otherFolders = topLevelFolders.filter((folder) => folder !== 'contract' && folder !== 'domain');
  const only = `contract/ may import only contract/, domain/ and zod${test ? ' (tests: also vitest)' : ''}.`;
  return [
    { regex: nodeBuiltin, message: 'contract/ is bundled for the browser: no Node built-ins.' },
    { regex: '^@prisma/', message: 'contract/ is the wire, not the database: no Prisma (infra/views.ts maps rows to these shapes).' },
    { regex: '^@temporalio/', message: 'contract/ is the wire between the API and its clients: no Temporal.' },
    { regex: into(...otherFolders), message: only },
    {
      regex: `^(?!\\.|${allowedPackages.map(escapeRegex).join('(?:/|$)|')}(?:/|$)|@prisma/|@temporalio/|${nodeBuiltin.slice(1)})`,
      message: only,
    },
  ];
}

const infraPatterns = [
  {
    regex: into('api', 'workflows', 'activities', 'realtime', 'worker', 'console'),
    message: 'infra/ is imported by the other parts, it does not import them (only domain/, contract/ and prisma/generated).',
  },
];

/** console/src/: browser code. `depth` = folders between console/src and the file. */
function consolePatterns(depth) {
  const toRoot = `(?:\\.\\./){${depth + 2}}`;
  return [
    {
      regex: `^${toRoot}(?!domain/|contract/)`,
      message: 'console/ may import only its own modules, ../domain and ../contract (the wire shapes), not the server code.',
    },
    { regex: nodeBuiltin, message: 'console/ runs in the browser: no Node built-ins.' },
    { regex: '^@prisma/', message: 'console/ runs in the browser: no Prisma. Use the REST API.' },
    { regex: '^@temporalio/', message: 'console/ runs in the browser: no Temporal. Use the REST API.' },
    { regex: pkg('pg'), message: 'console/ runs in the browser: no database driver. Use the REST API.' },
  ];
}

const restrict = (patterns) => ['error', { patterns }];

const serverFiles = serverFolders.map((folder) => `${folder}/**/*.ts`);
const consoleFiles = ['console/src/**/*.ts'];
// Runs on both sides (the contract; the typed client packages), so it gets neither Node's globals nor the browser's.
const contractFiles = ['contract/**/*.ts', 'packages/*/src/**/*.ts'];

export default defineConfig(
  globalIgnores([
    '**/node_modules/',
    '.data/',
    '.venv/',
    'prisma/generated/',
    'console/dist/',
    'tmp/',
    'test-artifacts/',
    // Only the TypeScript listed above is linted (no root or console config files).
    '**/*.{js,cjs,mjs}',
  ]),
  {
    name: 'seamless/typescript',
    files: [...serverFiles, ...contractFiles, ...consoleFiles],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A leading underscore marks a parameter that must exist but is not used (Express error
      // handlers take four arguments).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    // An import cycle makes the order modules initialise in depend on who is imported first, and
    // is where the folder rules below stop meaning anything (a contract that imports its
    // implementation through a detour). `.js` in a relative import names the `.ts` file (NodeNext).
    name: 'seamless/no-import-cycles',
    files: [...serverFiles, ...contractFiles, ...consoleFiles],
    // Tests import what they test and are imported by nothing: they cannot close a cycle.
    ignores: ['**/*.test.ts', '**/*.integration-test.ts', '**/*.e2e-test.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js'], extensionAlias: { '.js': ['.ts', '.js'] } })],
      'import-x/extensions': ['.ts', '.js'],
      'import-x/ignore': ['node_modules', 'prisma/generated'],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    // A promise nobody awaits in a workflow is a command whose failure nobody sees (and, in an
    // activity, work still running after the activity reported success): type-aware, so only
    // for the two folders where it matters most (typed linting costs seconds per folder).
    name: 'seamless/awaited-promises',
    files: ['workflows/**/*.ts', 'activities/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
  { name: 'seamless/node-globals', files: serverFiles, languageOptions: { globals: globals.node } },
  { name: 'seamless/browser-globals', files: consoleFiles, languageOptions: { globals: globals.browser } },

  { name: 'seamless/imports/domain', files: ['domain/**/*.ts'], rules: { 'no-restricted-imports': restrict(domainPatterns({ test: false })) } },
  { name: 'seamless/imports/domain-tests', files: ['domain/**/*.test.ts'], rules: { 'no-restricted-imports': restrict(domainPatterns({ test: true })) } },
  {
    // The typescript-eslint variant understands `allowTypeImports`; the core rule is off so
    // nothing is reported twice.
    name: 'seamless/imports/workflows',
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': restrict(workflowsPatterns),
    },
  },
  {
    // Workflow tests drive the sandbox from Node (client, worker, fake activities); the sandbox
    // rules are for the code that runs inside it.
    name: 'seamless/imports/workflow-tests',
    files: ['workflows/**/*.test.ts', 'workflows/**/*.integration-test.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
  { name: 'seamless/imports/contract', files: ['contract/**/*.ts'], rules: { 'no-restricted-imports': restrict(contractPatterns({ test: false })) } },
  { name: 'seamless/imports/contract-tests', files: ['contract/**/*.test.ts'], rules: { 'no-restricted-imports': restrict(contractPatterns({ test: true })) } },
  // The article renderer: the help center and the console's preview must render alike, so both
  // use this one module, and markdown-it (pure JavaScript, no Node built-ins) is allowed here only.
  {
    name: 'seamless/imports/contract-markdown',
    files: ['contract/markdown.ts'],
    rules: { 'no-restricted-imports': restrict(contractPatterns({ test: false, alsoAllowed: ['markdown-it'] })) },
  },
  { name: 'seamless/imports/api', files: ['api/**/*.ts'], rules: { 'no-restricted-imports': restrict(apiPatterns) } },
  { name: 'seamless/imports/activities', files: ['activities/**/*.ts'], rules: { 'no-restricted-imports': restrict(activitiesPatterns) } },
  { name: 'seamless/imports/realtime', files: ['realtime/**/*.ts'], rules: { 'no-restricted-imports': restrict(realtimePatterns) } },
  { name: 'seamless/imports/infra', files: ['infra/**/*.ts'], rules: { 'no-restricted-imports': restrict(infraPatterns) } },
  // The way out of console/ depends on how deep the file is: console/src/x.ts reaches domain/
  // as ../../domain, console/src/inbox/x.ts as ../../../domain.
  ...Array.from({ length: 8 }, (_, depth) => ({
    name: `seamless/imports/console-depth-${depth}`,
    files: [`console/src/${'*/'.repeat(depth)}*.ts`],
    rules: { 'no-restricted-imports': restrict(consolePatterns(depth)) },
  })),
);
