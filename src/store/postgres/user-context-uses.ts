// When each HighLevel user context was first exchanged for a session, on PostgreSQL: the twin of
// src/store/user-context-uses.ts. Every instance reads and writes the same rows, so a context's first use is decided
// once, whichever instance sees it first.
import { createHash } from 'node:crypto';
import type { AsyncStore } from '../async-store.js';
import { USER_CONTEXT_MEMORY_MS, type UserContextUses } from '../user-context-uses.js';
import type { Postgres } from './pool.js';

const PRUNE_EVERY_MS = 60 * 60_000;

export type PostgresUserContextUses = ReturnType<typeof createPostgresUserContextUses>;

export function createPostgresUserContextUses(pg: Pick<Postgres, 'pool'>, options: { memoryMs?: number } = {}) {
  const db = pg.pool;
  const memoryMs = options.memoryMs ?? USER_CONTEXT_MEMORY_MS;
  let prunedAt = -Infinity;

  return {
    /**
     * Records `payload`'s first use (if this is it) and returns when that was. Keyed by a hash of the decoded bytes,
     * so spacing or a re-encoding of the same base64 is the same context; the payload itself is never kept.
     */
    async firstUse(payload: string, now: number): Promise<number> {
      if (now - prunedAt >= PRUNE_EVERY_MS) {
        // Each instance prunes on its own hour; the deletes are idempotent and touch only rows past the memory.
        prunedAt = now;
        await db.query('DELETE FROM user_context_uses WHERE first_used_at < $1', [now - memoryMs]);
      }
      const hash = createHash('sha256').update(Buffer.from(payload.replace(/\s+/g, ''), 'base64')).digest('hex');
      // A single upsert, no lock of our own: when two instances see the same context at once, the unique key makes
      // the second wait for the first's insert and then take the DO UPDATE branch, which keeps and returns the first
      // time. (DO NOTHING would return no row to the loser, and a separate SELECT would be a second round trip.)
      const { rows } = await db.query<{ first_used_at: number }>(`
        INSERT INTO user_context_uses (payload_hash, first_used_at) VALUES ($1, $2)
        ON CONFLICT (payload_hash) DO UPDATE SET first_used_at = user_context_uses.first_used_at
        RETURNING first_used_at`, [hash, now]);
      return rows[0].first_used_at;
    },
  } satisfies AsyncStore<UserContextUses>;
}
