// The console's colours (console/src/styles/tokens.css) and the chat widget's (widget-tokens.css):
// every one comes from those sheets (no colour written into a component, so the dark theme reaches
// every screen), both themes define the same tokens, and text keeps a WCAG contrast of at least
// 4.5:1 on the backgrounds it is shown on, in both themes and in the widget.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { colourProblems, contrastRatio, parseTokens, parseWidgetTokens } from '../console/src/styles/token-check.js';

const src = join(import.meta.dirname, '../console/src');
const tokens = parseTokens(readFileSync(join(src, 'styles/tokens.css'), 'utf8'));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(vue|css)$/.test(entry.name) ? [path] : [];
  });
}
/** Every component and stylesheet of the console, by its path under src/. */
const sources = sourceFiles(src).map((path) => ({ path: relative(src, path), text: readFileSync(path, 'utf8') }));

/** [text, background] pairs as the components use them. */
const textPairs: [string, string][] = [
  ['--c-text', '--c-bg'],
  ['--c-text', '--c-surface'],
  ['--c-text', '--c-surface-alt'],
  ['--c-text', '--c-surface-raised'],
  ['--c-text', '--c-hover'],
  ['--c-text', '--c-neutral-soft'],
  ['--c-text', '--c-note-bg'],
  ['--c-text', '--c-selection'],
  ['--c-text', '--c-code-bg'],
  ['--c-text-secondary', '--c-surface'],
  ['--c-text-secondary', '--c-surface-alt'],
  ['--c-text-secondary', '--c-neutral-soft'],
  ['--c-muted', '--c-bg'],
  ['--c-muted', '--c-surface'],
  ['--c-muted', '--c-surface-alt'],
  ['--c-muted', '--c-neutral-soft'],
  ['--c-accent', '--c-surface'],
  ['--c-accent-text', '--c-surface'],
  ['--c-accent-text', '--c-bg'],
  ['--c-accent-text', '--c-accent-soft'],
  ['--c-accent-text', '--c-accent-soft-strong'],
  ['--c-on-accent', '--c-accent'],
  ['--c-on-danger', '--c-danger-solid'],
  ['--c-danger', '--c-surface'],
  ['--c-danger-text', '--c-surface'],
  ['--c-danger-text', '--c-danger-soft'],
  ['--c-warning-text', '--c-warning-soft'],
  ['--c-warning-text', '--c-surface'],
  ['--c-success-text', '--c-success-soft'],
  ['--c-success-text', '--c-surface'],
  ['--c-info-text', '--c-info-soft'],
  ['--c-special-text', '--c-special-soft'],
  ['--c-pink-text', '--c-pink-soft'],
  ['--c-mark-text', '--c-mark-bg'],
  ['--c-mark-text', '--c-note-bg'],
];

/** The chat widget's own colours: it is drawn on the customer's site in one light look (its --sw-*
    properties in widget-tokens.css), not in the console's theme. */
const widgetTokens = parseWidgetTokens(readFileSync(join(src, 'styles/widget-tokens.css'), 'utf8'));
/** [text, background] pairs as the widget uses them. */
const widgetTextPairs: [string, string][] = [
  ['--sw-text', '--sw-surface'],
  ['--sw-text', '--sw-surface-alt'],
  ['--sw-text', '--sw-bot-bg'],
  ['--sw-muted', '--sw-surface'],
  ['--sw-muted', '--sw-surface-alt'],
  ['--sw-accent-text', '--sw-surface'],
  ['--sw-accent-text', '--sw-surface-alt'],
  ['--sw-accent-text', '--sw-accent-soft'],
  ['--sw-on-solid', '--sw-accent'],
  ['--sw-on-solid', '--sw-danger'],
  ['--sw-danger', '--sw-surface'],
  ['--sw-danger', '--sw-surface-alt'],
  ['--sw-success-text', '--sw-surface-alt'],
  ['--sw-warning-text', '--sw-warning-bg'],
  ['--sw-bot-label-text', '--sw-bot-label-bg'],
];

/** The only files that may write colours: the two token sheets. */
const allowed = ['styles/tokens.css', 'styles/widget-tokens.css'];

describe('design tokens', () => {
  it('has the same tokens in the light and the dark theme', () => {
    expect(Object.keys(tokens.dark).sort()).toEqual(Object.keys(tokens.light).sort());
    expect(Object.keys(tokens.light).length).toBeGreaterThan(40);
  });

  it.each(['light', 'dark'] as const)('keeps text at 4.5:1 or more on its backgrounds in the %s theme', (theme) => {
    const failing = textPairs
      .map(([text, background]) => ({ text, background, ratio: contrastRatio(tokens[theme][text]!, tokens[theme][background]!) }))
      .filter(({ ratio }) => !(ratio >= 4.5));
    expect(failing).toEqual([]);
  });

  it('keeps the chat widget’s text at 4.5:1 or more on its backgrounds', () => {
    expect(Object.keys(widgetTokens).length).toBeGreaterThan(15);
    const failing = widgetTextPairs
      .map(([text, background]) => ({ text, background, ratio: contrastRatio(widgetTokens[text]!, widgetTokens[background]!) }))
      .filter(({ ratio }) => !(ratio >= 4.5));
    expect(failing).toEqual([]);
  });

  it('gives the chat widget every colour it uses from its own tokens', () => {
    const used = sources.filter(({ path }) => path.startsWith('widget/')).flatMap(({ text }) => [...text.matchAll(/var\((--sw-[\w-]+)/g)].map((m) => m[1]!));
    expect(used.length).toBeGreaterThan(30);
    expect([...new Set(used)].filter((name) => !(name in widgetTokens))).toEqual([]);
  });

  it('computes WCAG contrast', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(contrastRatio('#fff', '#fff')).toBe(1);
  });
});

describe('colour lint', () => {
  it('finds no colour written in a component or a stylesheet outside tokens.css', () => {
    const problems = sources
      .filter(({ path }) => !allowed.some((prefix) => path.startsWith(prefix)))
      .flatMap(({ path, text }) => colourProblems(text, path).map((found) => `${path}: ${found}`));
    expect(sources.length).toBeGreaterThan(50);
    expect(problems, 'a colour outside console/src/styles/tokens.css: use one of its tokens').toEqual([]);
  });

  it('catches hex, rgb()/hsl(), named colours and fallbacks, in styles, style attributes and script strings', () => {
    const vue = `<template><div style="color: red" #default></div></template>
<script setup lang="ts">const c = '#2f6fed';</script>
<style scoped>
/* #123456 in a comment is fine */
.a { background: #fff; white-space: nowrap; }
.b { color: rgba(0, 0, 0, 0.5); border: 1px solid var(--border, #ccc); }
.c { background: white; color: var(--c-text); border-color: transparent; }
</style>`;
    expect(colourProblems(vue, 'x.vue')).toEqual(['red', '#2f6fed', '#fff', 'rgba(', '#ccc', 'white']);
    expect(colourProblems('.a { color: var(--c-text); white-space: pre; }', 'x.css')).toEqual([]);
  });
});
