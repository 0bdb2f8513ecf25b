import { LRUCache } from 'lru-cache';
import type { Redis } from 'ioredis';

/**
 * Remembers keys for a while: `claim` is true for the first caller of a key within `ttlMs`,
 * false for every later one. Webhook delivery ids use it to refuse replays.
 */
export type OnceStore = {
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Forgets a claim whose work failed, so the sender's retry is not taken for a replay. */
  release(key: string): Promise<void>;
};

/**
 * One process (embedded mode). 100,000 keys of ~80 bytes are ~10 MB at most; a hub receiving more
 * deliveries than that in a day forgets the oldest first, which only allows a late replay a crawl.
 */
export function memoryOnceStore(maxKeys = 100_000): OnceStore {
  const seen = new LRUCache<string, true>({ max: maxKeys, ttlAutopurge: false });
  return {
    async claim(key, ttlMs) {
      if (seen.has(key)) return false;
      seen.set(key, true, { ttl: ttlMs });
      return true;
    },
    async release(key) {
      seen.delete(key);
    },
  };
}

/** Shared by all API processes (server mode): SET NX PX is one atomic step in Redis. */
export function redisOnceStore(redis: Redis, prefix: string): OnceStore {
  return {
    async claim(key, ttlMs) {
      return (await redis.set(`${prefix}:${key}`, '1', 'PX', ttlMs, 'NX')) === 'OK';
    },
    async release(key) {
      await redis.del(`${prefix}:${key}`);
    },
  };
}
