/**
 * A copy of a string that holds no reference to the text it was cut from: V8 keeps a substring of
 * 13 or more characters as a slice of its parent, so a kept word would keep its whole text alive
 * (a row's lexemes, a description). Shorter substrings are copies already.
 */
export function detached(text: string): string {
  return text.length < 13 ? text : Buffer.from(text, 'utf8').toString('utf8');
}
