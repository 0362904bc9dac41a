// The checks behind test/console-colours.test.ts, pure: the tokens of each theme read from tokens.css, WCAG
// contrast between two colours, and the colours a component or stylesheet writes outside them.

export type Tokens = Record<string, string>;

/** The custom properties set in the first block of `css` that `selector` captures the body of. */
function customProperties(css: string, selector: RegExp): Tokens {
  const body = selector.exec(css)?.[1] ?? '';
  return Object.fromEntries([...withoutComments(body).matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]));
}

/** The custom properties of `:root` (light) and `:root[data-theme='dark']` (dark). */
export function parseTokens(css: string): { light: Tokens; dark: Tokens } {
  return { light: customProperties(css, /:root\s*\{([^}]*)\}/), dark: customProperties(css, /:root\[data-theme='dark'\]\s*\{([^}]*)\}/) };
}

/** The chat widget's custom properties (widget-tokens.css: set on `.sw-root`, one light look). */
export function parseWidgetTokens(css: string): Tokens {
  return customProperties(css, /\.sw-root\s*\{([^}]*)\}/);
}

/** WCAG 2 contrast ratio of two #rgb / #rrggbb colours (1 to 21); NaN for anything else. */
export function contrastRatio(foreground: string, background: string): number {
  const [a, b] = [luminance(foreground), luminance(background)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

function luminance(hex: string): number {
  const digits = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim())?.[1];
  if (!digits) return NaN;
  const full = digits.length === 3 ? [...digits].map((d) => d + d).join('') : digits;
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(full.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

const named = [
  'white',
  'black',
  'red',
  'green',
  'blue',
  'yellow',
  'orange',
  'purple',
  'pink',
  'gray',
  'grey',
  'silver',
  'navy',
  'teal',
  'maroon',
  'olive',
  'lime',
  'aqua',
  'fuchsia',
  'brown',
  'gold',
  'crimson',
  'tomato',
  'coral',
  'salmon',
  'indigo',
  'violet',
  'beige',
  'ivory',
  'khaki',
  'lavender',
  'tan',
  'cyan',
  'magenta',
  'whitesmoke',
  'gainsboro',
  'lightgray',
  'lightgrey',
  'darkgray',
  'darkgrey',
  'dimgray',
  'dimgrey',
  'slategray',
  'slategrey',
];
const namedColour = new RegExp(`(?<![\\w-])(${named.join('|')})(?![\\w-])`, 'gi');
const hexColour = /#[0-9a-f]{3,8}(?![\w-])/gi;
const colourFunction = /(?<![\w-])(rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\(/gi;

function withoutComments(css: string): string {
  return css.replace(/\/\*[\s\S]*?\*\//g, '');
}

/** The colours written in CSS: hex, colour functions anywhere, colour names as declaration values. */
function cssColours(css: string): string[] {
  const text = withoutComments(css);
  const found: string[] = [];
  for (const declaration of text.matchAll(/(?<![\w-])[a-z-]+\s*:([^;{}]+)/gi)) {
    const value = declaration[1]!;
    for (const m of value.matchAll(hexColour)) found.push(m[0]);
    for (const m of value.matchAll(colourFunction)) found.push(`${m[1]}(`);
    for (const m of value.matchAll(namedColour)) found.push(m[1]!);
  }
  return found;
}

/** What `path` (a .vue or .css file) writes as a colour outside the tokens. */
export function colourProblems(text: string, path: string): string[] {
  if (path.endsWith('.css')) return cssColours(text);
  const blocks = (tag: string) => [...text.matchAll(new RegExp(`<${tag}[^>]*>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]!);
  const template = text.replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/g, '');
  return [
    ...[...template.matchAll(/\sstyle="([^"]*)"/g)].flatMap((m) => cssColours(m[1]!)),
    ...blocks('script').flatMap((script) => [...script.matchAll(/['"`](#[0-9a-f]{3,8}|(?:rgba?|hsla?)\([^'"`]*\))['"`]/gi)].map((m) => m[1]!)),
    ...blocks('style').flatMap(cssColours),
  ];
}
