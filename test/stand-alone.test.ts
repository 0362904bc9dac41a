// A clone is all a reader has (issue 21 item 12): no document sends them to a file beside the
// repository, every relative link in the Markdown leads to a file that is in it, and what
// `npm run eval` reads by default is in it too.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sources } from '../eval/datasets.js';
import { projectRoot } from '../infra/env.js';

/** Generated, installed or local-only folders: not the project's own text. */
const skipped = new Set(['node_modules', '.git', '.data', '.venv', 'tmp', 'dist', 'generated', 'test-artifacts', 'screenshots']);

function filesOf(dir: string, extensions: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return skipped.has(entry.name) ? [] : filesOf(full, extensions);
    return extensions.test(entry.name) ? [full] : [];
  });
}

const inProject = (file: string) => !path.relative(projectRoot, file).startsWith('..');
const relative = (file: string) => path.relative(projectRoot, file);

describe('the repository stands alone', () => {
  const markdown = filesOf(projectRoot, /\.md$/);
  const code = filesOf(projectRoot, /\.(ts|vue|js|mjs|cjs|json|ya?ml|sh)$/);

  it('names no folder beside the repository in its documents or code', () => {
    expect(markdown.length).toBeGreaterThan(10);
    // `../shared/…` from the project root (the folder a clone does not have), in a comment, a link or a path.
    const outside = /(?<![\w./-])\.\.\/shared\/(docs|data|hooks)\b|['"]\.\.['"]\s*,\s*['"]shared['"]/;
    const found = [...markdown, ...code].flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, index) => ({ line, index }))
        .filter(({ line }) => outside.test(line))
        .map(({ line, index }) => `${relative(file)}:${index + 1}: ${line.trim()}`),
    );
    expect(found).toEqual([]);
  });

  it('links, in every Markdown file, only to files that are in the repository', () => {
    const broken = markdown.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
        .map((match) => match[1]!.split('#')[0]!)
        .filter((target) => target && !/^[a-z][a-z0-9+.-]*:/i.test(target))
        .filter((target) => {
          const resolved = path.resolve(path.dirname(file), decodeURIComponent(target));
          return !inProject(resolved) || !existsSync(resolved);
        })
        .map((target) => `${relative(file)} → ${target}`);
    });
    expect(broken).toEqual([]);
  });

  it("reads the evaluation's default data from the repository", () => {
    for (const file of [sources.englishCsv, sources.outOfScopeJson, sources.chineseDir]) {
      expect(inProject(file), file).toBe(true);
      expect(existsSync(file), file).toBe(true);
    }
  });
});
