import { execFileSync } from 'node:child_process';

export type TagInfo = {
  /** The tagger's date of an annotated tag, else its commit's (git's creatordate), ISO 8601. */
  date: string | null;
  /** The annotated tag's message as release notes; null for a lightweight tag or a message that only names the version. */
  notes: string | null;
};

/** Where an inline signature starts in a tag message (`git tag -s`: OpenPGP, SSH or X.509); as the crawler strips it. */
const SIGNATURE = /\n?-----BEGIN (PGP|SSH|SIGNED) (SIGNATURE|MESSAGE)-----[\s\S]*$/;

/**
 * Reads the tag from the checkout with git, as the README's CI example does, so a pushed release
 * carries the date and notes a crawl of the repository finds too. Null when git or the tag is
 * not there (a checkout without tags): the release is then dated by the hub and has no notes.
 */
export function readTag(tag: string, cwd: string): TagInfo | null {
  let out: string;
  try {
    out = execFileSync('git', ['for-each-ref', '--format=%(objecttype)%00%(creatordate:iso-strict)%00%(contents)', `refs/tags/${tag}`], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return null;
  }
  if (out === '') return null;
  const [type, date, ...message] = out.split('\0');
  return { date: date?.trim() || null, notes: type === 'tag' ? tagNotes(message.join('\0'), tag) : null };
}

/**
 * The same rule as the crawler's (src/domain/crawl/crawl.service.ts releaseNotes): a message
 * that only repeats the version ("v1.2.0", "Version 1.2.0", what `git tag -a -m` habits produce)
 * says nothing, so the push and a later crawl agree on the notes.
 */
export function tagNotes(message: string, tag: string): string | null {
  const text = message.replace(SIGNATURE, '').trim();
  if (text === '') return null;
  const version = tag.trim().replace(/^v(?=\d)/i, '');
  const bare = text.replace(/^(version|release|v)\s*/i, '').replace(/^v/i, '');
  return bare === version ? null : text;
}
