import { trusted } from '../../html';

/** The search service's snippet: escaped text with the matched words in <mark>; nothing else may pass. */
export function snippetHtml(text: string) {
  return trusted(text.replace(/<(?!\/?mark>)/g, '&lt;'));
}
