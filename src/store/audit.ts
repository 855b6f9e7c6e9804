// The audit trail: who did what, when, to which location (no message bodies, no full phone numbers).
import type { Db } from './db.js';
import type { AuditLog } from '../workflow/ports/storage.js';
import { maskPhones } from '../lib/logger.js';

export interface AuditEntry { id: number; locationId: string | null; actor: string; action: string; detail: Record<string, unknown> | null; at: number }

export function createAuditLog(db: Db) {
  const insert = db.prepare('INSERT INTO audit_log (location_id, actor, action, detail, at) VALUES (?, ?, ?, ?, ?)');
  const list = db.prepare('SELECT id, location_id AS locationId, actor, action, detail, at FROM audit_log WHERE location_id = ? ORDER BY at DESC, id DESC LIMIT ? OFFSET ?');
  const log = {
    record(entry: Parameters<AuditLog['record']>[0], now: number): void {
      const detail = entry.detail ? maskPhones(JSON.stringify(entry.detail)) : null;
      insert.run(entry.locationId, entry.actor, entry.action, detail, now);
    },
    list(locationId: string, limit = 50, offset = 0): AuditEntry[] {
      return (list.all(locationId, limit, offset) as (Omit<AuditEntry, 'detail'> & { detail: string | null })[])
        .map((row) => ({ ...row, detail: row.detail ? JSON.parse(row.detail) : null }));
    },
  };
  return log satisfies AuditLog;
}
export type AuditStore = ReturnType<typeof createAuditLog>;
