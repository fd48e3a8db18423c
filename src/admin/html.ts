/**
 * The HTML toolkit of the admin page: one escaping function and a tagged template that escapes
 * every interpolated value unless it is already {@link Html}. Nothing reaches the page unescaped.
 */

/** A fragment of trusted, already-escaped HTML. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (ch) => ENTITIES[ch] ?? ch);
}

type Value = Html | string | number | null | undefined | false | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return (value as readonly Value[]).map(render).join('');
  return escapeHtml(String(value));
}

/** `html\`<td>${name}</td>\`` — interpolations are escaped; arrays are joined; `Html` is kept. */
export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new Html(out);
}

/** `2026-11-25 09:14 UTC` inside a `<time>` element, or the fallback text. */
export function time(date: Date | null | undefined, fallback = '—'): Html {
  if (!date) return html`<span class="muted">${fallback}</span>`;
  const iso = date.toISOString();
  return html`<time datetime="${iso}"><span>${iso.slice(0, 10)}</span> <span>${iso.slice(11, 16)} UTC</span></time>`;
}

/** `12,345`, or `∞` for no limit. */
export function count(value: number | null | undefined): string {
  return value === null || value === undefined || value === Infinity
    ? '∞'
    : value.toLocaleString('en-US');
}
