import { renderReadme } from '../crawl/readme';

/** Report texts are short; 64 KiB is far above any honest report and bounds the rendering work. */
const MAX_BYTES = 64 * 1024;
const NO_FILES = { blob: () => null, raw: () => null };

/**
 * Markdown of experience reports and answers → HTML, through the README renderer and its
 * sanitiser (no scripts, styles or event handlers; third-party images click-to-load). There is no
 * repository behind a report, so relative links keep their text without a target.
 */
export function renderReportMarkdown(markdown: string | null | undefined): string | null {
  if (!markdown) return null;
  const rendered = renderReadme({ path: 'report.md', content: Buffer.from(markdown, 'utf8') }, NO_FILES, MAX_BYTES);
  return 'html' in rendered ? rendered.html : null;
}
