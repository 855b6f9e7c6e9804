// When each HighLevel user context was first exchanged for a session, shared by every instance through the database.
import { createHash } from 'node:crypto';
import { DAY } from '../lib/clock.js';
import type { Db } from './db.js';

/**
 * How long a first use is remembered. A context replayed after its row was pruned would count as new again, so this
 * is far longer than the 12 h a context is accepted for; it only bounds the table (one small row per page load).
 */
export const USER_CONTEXT_MEMORY_MS = 90 * DAY;
const PRUNE_EVERY_MS = 60 * 60_000;

export type UserContextUses = ReturnType<typeof createUserContextUses>;

export function createUserContextUses(db: Db, options: { memoryMs?: number } = {}) {
  const memoryMs = options.memoryMs ?? USER_CONTEXT_MEMORY_MS;
  const remember = db.prepare(`
    INSERT INTO user_context_uses (payload_hash, first_used_at) VALUES (?, ?)
    ON CONFLICT (payload_hash) DO UPDATE SET first_used_at = first_used_at
    RETURNING first_used_at`).pluck();
  const prune = db.prepare(`DELETE FROM user_context_uses WHERE first_used_at < ?`);
  let prunedAt = -Infinity;

  return {
    /**
     * Records `payload`'s first use (if this is it) and returns when that was. Keyed by a hash of the decoded bytes,
     * so spacing or a re-encoding of the same base64 is the same context; the payload itself is never kept.
     */
    firstUse(payload: string, now: number): number {
      if (now - prunedAt >= PRUNE_EVERY_MS) {
        prunedAt = now;
        prune.run(now - memoryMs);
      }
      const hash = createHash('sha256').update(Buffer.from(payload.replace(/\s+/g, ''), 'base64')).digest('hex');
      return remember.get(hash, now) as number;
    },
  };
}
