import { describe, expect, it } from 'vitest';
import { workflowSandbox } from '../bench/support/workflow-sandbox.js';
import { workflowBundleOptions } from './workflow-bundle.js';

/** Modules that must be evaluated once per workflow thread, never once per workflow. */
const sharedOnly = /^\.\/(?:domain\/|node_modules\/(?:zod|luxon|re2js)\/)/;

describe('the workflow bundle', () => {
  it('preloads every domain module, tests excepted', () => {
    const { preloadModules } = workflowBundleOptions();
    expect(preloadModules.some((file) => file.endsWith('/domain/rules/matcher.ts'))).toBe(true);
    expect(preloadModules.some((file) => file.endsWith('/domain/self-service.ts'))).toBe(true);
    expect(preloadModules.filter((file) => file.endsWith('.test.ts'))).toEqual([]);
  });

  it('gives each cached workflow only its own workflow modules: domain/, zod, luxon and re2js are shared', { timeout: 120_000 }, async () => {
    const create = await workflowSandbox(workflowBundleOptions());
    await create();
    const own = (await create()).ownModules();
    expect(own.some((id) => id.startsWith('./workflows/'))).toBe(true);
    expect(own.filter((id) => sharedOnly.test(id))).toEqual([]);
  });

  it('would evaluate them again for every workflow without the preload (the SDK default the worker avoids)', { timeout: 120_000 }, async () => {
    const create = await workflowSandbox({ ...workflowBundleOptions(), preloadModules: [] });
    await create();
    const own = (await create()).ownModules();
    expect(own.filter((id) => sharedOnly.test(id))).toEqual(expect.arrayContaining(['./domain/rules/matcher.ts', './domain/self-service.ts']));
  });
});
