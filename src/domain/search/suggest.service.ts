import type { Db } from '../../db/client';
import { suggest, suggestByWord } from '../../db/queries/search.queries';
import { fold } from './query-words';
import { answered, type SearchContext } from './search-context';

export type Suggestion = { kind: 'software' | 'term'; text: string; slug: string | null };

/**
 * Autocompletion for the search box: software names (by prefix of the name or of one of its
 * words) and vocabulary terms completing the last word. One indexed statement per keystroke, a second one when few names start with the prefix.
 */
export async function suggestSearch(hub: SearchContext, input: { q: string; limit: number }): Promise<{ items: Suggestion[] }> {
  return answered(hub, { kind: 'suggest', request: input }, () => computeSuggestions(hub.db, input));
}

async function computeSuggestions(db: Db, input: { q: string; limit: number }): Promise<{ items: Suggestion[] }> {
  const words = (input.q.match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8);
  const lastWord = words.at(-1);
  if (!lastWord) return { items: [] };
  const prefix = words.join(' ');
  const head = words.slice(0, -1).map((w) => `${w.toLowerCase()} `).join('');
  // The words of the prefix for the name-word index (complete words, the last as a prefix); the
  // regular expression in the query keeps the exact "a word starts with the prefix" meaning.
  const folded = fold(prefix).split(/[^a-z0-9]+/).filter(Boolean);
  const wordQuery = folded.length ? folded.map((w, i) => `'${w}'${i === folded.length - 1 ? ':*' : ''}`).join(' & ') : null;
  const rows = await suggest(db, { prefix, lastWord, head, limit: input.limit });
  const names = rows.filter((r) => r.kind === 'software');
  if (names.length < input.limit && wordQuery) {
    names.push(...(await suggestByWord(db, { prefix, wordQuery, limit: input.limit - names.length })));
  }
  const terms = rows.filter((r) => r.kind === 'term');
  // Names first (they lead straight to an entry), then terms, without repeating a name as a term.
  const seen = new Set(names.map((n) => n.text.toLowerCase()));
  const items = [...names, ...terms.filter((t) => !seen.has(t.text.toLowerCase()))].slice(0, input.limit);
  return { items };
}
