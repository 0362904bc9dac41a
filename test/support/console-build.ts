// Builds the console once into a temporary folder, so browser tests never depend on (or clobber)
// console/dist from `npm start`.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { projectRoot } from '../../infra/env.js';

export async function buildConsole(): Promise<string> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'seamless-console-'));
  await build({
    configFile: path.join(projectRoot, 'console', 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}
