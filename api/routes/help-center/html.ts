// HTML for the help-center pages: a template whose interpolations are escaped unless they are
// already markup it made (or renderMarkdown's, which is safe by construction: infra/markdown.ts).
/** Text made safe to put in HTML text or in a double- or single-quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Markup that is already safe: made only by `html` (which escapes) or from renderMarkdown. */
export class Html {
  constructor(readonly value: string) {}
}
type Interpolation = Html | string | number | null | undefined | false | readonly Interpolation[];

function interpolate(value: Interpolation): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(interpolate).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/** A template whose interpolations are escaped unless they are Html already. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  return new Html(strings.reduce((out, text, index) => out + text + (index < values.length ? interpolate(values[index]) : ''), ''));
}
