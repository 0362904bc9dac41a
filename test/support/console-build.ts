// Builds the console for browser tests into tmp/console-builds/<hash of its sources>, so browser
// tests never depend on (or clobber) console/dist from `npm start`, and a build is made once for
// the sources it was made from: each build costs several seconds of CPU, and some 60 browser test
// files each needed one. The hash covers every file the build reads from this repository
// (console/, and domain/ and contract/, which the console imports) and the lockfile.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'vite';
import { projectRoot } from '../../infra/env.js';

const sourceDirs = ['console', 'domain', 'contract'];
const skipped = new Set(['node_modules', 'dist']);
const buildsDir = path.join(projectRoot, 'tmp', 'console-builds');

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .filter((entry) => !skipped.has(entry.name))
      .map((entry) => (entry.isDirectory() ? sourceFiles(path.join(dir, entry.name)) : [path.join(dir, entry.name)])),
  );
  return nested.flat();
}

async function sourcesHash(): Promise<string> {
  const files = (await Promise.all(sourceDirs.map((dir) => sourceFiles(path.join(projectRoot, dir))))).flat().sort();
  const hash = createHash('sha256');
  for (const file of [...files, path.join(projectRoot, 'package-lock.json')]) {
    hash
      .update(path.relative(projectRoot, file))
      .update('\0')
      .update(await readFile(file))
      .update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** The folder holding the console built from the current sources: built now unless it exists. */
export async function buildConsole(): Promise<string> {
  const finished = path.join(buildsDir, await sourcesHash());
  if (existsSync(finished)) return finished;
  await mkdir(buildsDir, { recursive: true });
  const outDir = await mkdtemp(path.join(buildsDir, 'building-'));
  await build({
    configFile: path.join(projectRoot, 'console', 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  // Two test files may build at once: the first rename wins and the other build is dropped.
  try {
    await rename(outDir, finished);
  } catch (error) {
    if (!existsSync(finished)) throw error;
    await rm(outDir, { recursive: true, force: true });
  }
  await removeStaleBuilds(finished);
  return finished;
}

/** Builds of other sources older than an hour (a run in progress may still serve a recent one). */
async function removeStaleBuilds(current: string) {
  const hourAgo = Date.now() - 3_600_000;
  for (const name of await readdir(buildsDir)) {
    const dir = path.join(buildsDir, name);
    if (dir === current) continue;
    const stats = await stat(dir).catch(() => null);
    if (stats && stats.mtimeMs < hourAgo) await rm(dir, { recursive: true, force: true });
  }
}
