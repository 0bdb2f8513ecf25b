import { LRUCache } from 'lru-cache';
import type { Db } from '../../../db/client';
import { compoundTails, correctWords, prepareWords, type PreparedWord } from '../../../db/queries/search.queries';
import type { Words } from '../text-query';

/** Analysed words kept per process: a few hundred bytes each. */
const MAX_WORDS = 20_000;

type Correction = Awaited<ReturnType<typeof correctWords>>[number];
type Tail = Awaited<ReturnType<typeof compoundTails>>[number];

/**
 * The database's analysis of a word (stems, whether the vocabulary holds it, its corrections and
 * compound ending), kept for the catalogue revision it was asked under: the same word in the next
 * query costs no statement. Stems never change; the vocabulary changes with the catalogue, so the
 * first request at another revision empties the cache (`at`).
 */
export class WordCache {
  private revision = -1n;
  private readonly prepared = new LRUCache<string, Omit<PreparedWord, 'position'>>({ max: MAX_WORDS });
  private readonly corrections = new LRUCache<string, Correction[]>({ max: MAX_WORDS });
  private readonly endings = new LRUCache<string, Tail[]>({ max: MAX_WORDS });

  /** The cache for this revision, backed by db. */
  at(db: Db, revision: bigint): Words {
    if (revision !== this.revision) {
      this.prepared.clear();
      this.corrections.clear();
      this.endings.clear();
      this.revision = revision;
    }
    return {
      prepare: async (words) => {
        const key = (w: { text: string; prefix: boolean }) => `${w.prefix ? 1 : 0}${w.text}`;
        const missing = [...new Map(words.filter((w) => !this.prepared.has(key(w))).map((w) => [key(w), w])).values()];
        if (missing.length > 0) {
          const found = await prepareWords(db, missing);
          missing.forEach((w, i) => {
            const { position: _position, ...analysed } = found[i]!;
            if (this.revision === revision) this.prepared.set(key(w), analysed);
          });
          // Another revision was seen meanwhile: answer from what was just read.
          if (this.revision !== revision) return prepareWords(db, words);
        }
        return words.map((w, i) => ({ position: i + 1, ...this.prepared.get(key(w))! }));
      },
      correct: (input) =>
        this.perFold(this.corrections, `${input.perWord}:${input.minSimilarity}`, input.folds, revision, (folds) => correctWords(db, { ...input, folds })),
      tails: (input) => this.perFold(this.endings, String(input.minPart), input.folds, revision, (folds) => compoundTails(db, { ...input, folds })),
    };
  }

  /** Answers per folded word, read together for the words not kept yet. */
  private async perFold<T extends { fold: string }>(
    cache: LRUCache<string, T[]>,
    variant: string,
    folds: string[],
    revision: bigint,
    read: (folds: string[]) => Promise<T[]>,
  ): Promise<T[]> {
    const key = (fold: string) => `${variant}\n${fold}`;
    const missing = [...new Set(folds.filter((f) => !cache.has(key(f))))];
    if (missing.length > 0) {
      const found = await read(missing);
      if (this.revision !== revision) return read(folds);
      for (const fold of missing) cache.set(key(fold), found.filter((r) => r.fold === fold));
    }
    return folds.flatMap((f) => cache.get(key(f)) ?? []);
  }
}
