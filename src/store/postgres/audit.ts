// The audit trail on PostgreSQL: the same contract as src/store/audit.ts (no message bodies, no full phone numbers).
import { maskPhones } from '../../lib/logger.js';
import type { AsyncStore } from '../async-store.js';
import type { AuditEntry, AuditStore } from '../audit.js';
import type { Postgres } from './pool.js';

export function createPostgresAuditLog(pg: Pick<Postgres, 'pool'>): AsyncStore<AuditStore> {
  const db = pg.pool;
  return {
    async record(entry, now) {
      const detail = entry.detail ? maskPhones(JSON.stringify(entry.detail)) : null;
      await db.query('INSERT INTO audit_log (location_id, actor, action, detail, at) VALUES ($1, $2, $3, $4, $5)',
        [entry.locationId, entry.actor, entry.action, detail, now]);
    },
    async list(locationId, limit = 50, offset = 0) {
      const { rows } = await db.query<Omit<AuditEntry, 'detail'> & { detail: string | null }>(`
        SELECT id, location_id AS "locationId", actor, action, detail, at FROM audit_log WHERE location_id = $1
        ORDER BY at DESC, id DESC LIMIT $2 OFFSET $3`, [locationId, limit, offset]);
      return rows.map((row) => ({ ...row, detail: row.detail ? JSON.parse(row.detail) : null }));
    },
  };
}
