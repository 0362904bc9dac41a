// The system with its built console and a Chromium for one browser test file: started before
// its tests, stopped after them; a failed test leaves a screenshot of every page it had open.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { projectRoot } from '../../infra/env.js';
import { demoPassword } from '../../prisma/demo-data.js';
import { launchChromium } from './browser.js';
import { buildConsole } from './console-build.js';
import { startSystem, type SystemOptions, type TestSystem } from './system.js';

/** Where the browser tests write their screenshots (a set is kept in docs/screenshots). */
export const screenshots = path.join(projectRoot, 'test-artifacts', 'screenshots');
/** How long a browser test waits for something live to show. */
export const live = { timeout: 20_000 };

export interface ConsoleBrowser {
  readonly system: TestSystem;
  readonly browser: Browser;
  /** A page in a fresh browser context (its own storage: a separate person). */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  /** Signs a demo user in and waits for the console to show their name. */
  signIn(page: Page, email: string, name: string): Promise<void>;
}

/** Registers the file's hooks; `defaults` apply to every page (locale en-US unless given), `systemOptions` to the system. */
export function consoleInBrowser(defaults: BrowserContextOptions = {}, systemOptions: Omit<SystemOptions, 'consoleDir'> = {}): ConsoleBrowser {
  let system: TestSystem | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await mkdir(screenshots, { recursive: true });
    system = await startSystem({ ...systemOptions, consoleDir: await buildConsole() });
    browser = await launchChromium();
  });
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    const pages = contexts.flatMap((context) => context.pages());
    await Promise.all(
      pages.map((page, i) =>
        page.screenshot({ path: path.join(screenshots, `failed-${task.name.slice(0, 30).replace(/\W+/g, '-')}-${i}.png`) }).catch(() => {}),
      ),
    );
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the system starts in beforeAll: use it inside tests and hooks');
    return value;
  };
  return {
    get system() {
      return started(system);
    },
    get browser() {
      return started(browser);
    },
    async newPage(options = {}) {
      const context = await started(browser).newContext({ locale: 'en-US', ...defaults, ...options });
      contexts.push(context);
      return context.newPage();
    },
    async signIn(page, email, name) {
      await page.goto(`${started(system).url}/`);
      await page.getByTestId('login-email').fill(email);
      await page.getByTestId('login-password').fill(demoPassword);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('agent-name').filter({ hasText: name }).waitFor();
    },
  };
}
