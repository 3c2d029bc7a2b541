// State shared by the instances of one bot: "has this message been taken?" and per-user rate
// counters. In memory by default; in Redis when REDIS_URL is set, so several instances behind one
// app never answer the same message twice.

import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

export interface Store {
  /** True exactly once per key within `ttlMs`, across every instance sharing the store. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Counts a hit in the current window of `windowMs` and returns the count so far. */
  hit(key: string, windowMs: number): Promise<number>;
  close(): Promise<void>;
}

export class MemoryStore implements Store {
  private claims = new LRUCache<string, true>({ max: 100_000, ttlAutopurge: false });
  private hits = new LRUCache<string, { n: number; until: number }>({ max: 100_000 });

  async claim(key: string, ttlMs: number): Promise<boolean> {
    if (this.claims.has(key)) return false;
    this.claims.set(key, true, { ttl: ttlMs });
    return true;
  }

  async hit(key: string, windowMs: number): Promise<number> {
    const now = Date.now();
    const h = this.hits.get(key);
    if (!h || h.until <= now) {
      this.hits.set(key, { n: 1, until: now + windowMs });
      return 1;
    }
    h.n++;
    return h.n;
  }

  async close(): Promise<void> {}
}

export class RedisStore implements Store {
  private redis: Redis;

  constructor(
    url: string,
    private prefix = 'nianbao:',
  ) {
    this.redis = new Redis(url, {
      lazyConnect: false,
      maxRetriesPerRequest: 2,
      connectTimeout: 5000,
      enableOfflineQueue: true,
    });
    // Connection trouble is reported by the command that meets it; keep the client from throwing.
    this.redis.on('error', () => {});
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    return (
      (await this.redis.set(this.prefix + key, '1', 'PX', Math.max(1, Math.round(ttlMs)), 'NX')) === 'OK'
    );
  }

  async hit(key: string, windowMs: number): Promise<number> {
    const k = this.prefix + key;
    const n = await this.redis.incr(k);
    if (n === 1) await this.redis.pexpire(k, windowMs);
    return n;
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
