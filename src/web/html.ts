/**
 * Typed HTML templates with escaping by default: every interpolated value is escaped unless it
 * is already Html (built by this tag, or marked trusted with `trusted`). Chosen over a template
 * engine (@fastify/view + Nunjucks/Eta) because the views then are plain TypeScript functions:
 * the compiler checks every value a view reads, there is no second language with its own
 * escaping rules, no template files to load at start, and nothing to install.
 */
export class Html {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

export type Renderable = Html | string | number | null | undefined | false | readonly Renderable[];

function render(value: Renderable): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Renderable[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Markup that is safe by origin: the README HTML the crawler sanitised when it stored it. */
export function trusted(markup: string): Html {
  return new Html(markup);
}
