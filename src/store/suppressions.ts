// Per-location suppression list (never text these numbers) with the history of every change.
import type { Db } from './db.js';
import type { Suppressions, SuppressionSource } from '../workflow/stores.js';

export interface SuppressionEntry { phone: string; source: SuppressionSource; createdAt: number }
export interface SuppressionChange { phone: string; action: 'suppress' | 'lift'; source: string; reason: string | null; actor: string | null; at: number }

export function createSuppressions(db: Db) {
  const exists = db.prepare('SELECT 1 FROM suppressions WHERE location_id = ? AND phone = ?').pluck();
  const insert = db.prepare(`INSERT INTO suppressions (location_id, phone, source, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`);
  const remove = db.prepare('DELETE FROM suppressions WHERE location_id = ? AND phone = ?');
  const history = db.prepare(`INSERT INTO suppression_history (location_id, phone, action, source, reason, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const list = db.prepare(`
    SELECT phone, source, created_at AS createdAt FROM suppressions
    WHERE location_id = @locationId AND (@search IS NULL OR phone LIKE '%' || @search || '%')
    ORDER BY created_at DESC LIMIT @limit OFFSET @offset`);
  const count = db.prepare(`SELECT COUNT(*) FROM suppressions WHERE location_id = @locationId AND (@search IS NULL OR phone LIKE '%' || @search || '%')`).pluck();
  const historyOf = db.prepare(`SELECT phone, action, source, reason, actor, at FROM suppression_history WHERE location_id = ? AND phone = ? ORDER BY at, id`);

  const change = (action: 'suppress' | 'lift') => db.transaction((input: { locationId: string; phone: string; source: SuppressionSource; reason?: string; actor: string }, now: number) => {
    const changed = action === 'suppress'
      ? insert.run(input.locationId, input.phone, input.source, now).changes === 1
      : remove.run(input.locationId, input.phone).changes === 1;
    if (changed) history.run(input.locationId, input.phone, action, input.source, input.reason ?? null, input.actor, now);
    return changed;
  });
  const suppress = change('suppress');
  const lift = change('lift');

  const store = {
    isSuppressed: (locationId: string, phone: string) => exists.get(locationId, phone) === 1,
    suppress: (input: Parameters<Suppressions['suppress']>[0], now: number) => suppress.immediate(input, now),
    lift: (input: Parameters<Suppressions['lift']>[0], now: number) => lift.immediate(input, now),
    list(locationId: string, options: { search?: string | null; limit: number; offset: number }): { items: SuppressionEntry[]; total: number } {
      const params = { locationId, search: options.search?.replace(/[^\d]/g, '') || null, limit: options.limit, offset: options.offset };
      return { items: list.all(params) as SuppressionEntry[], total: count.get(params) as number };
    },
    history: (locationId: string, phone: string) => historyOf.all(locationId, phone) as SuppressionChange[],
  };
  return store satisfies Suppressions;
}
export type SuppressionStore = ReturnType<typeof createSuppressions>;
