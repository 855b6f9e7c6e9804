// Per-location suppression list (never text these numbers): every source holding a number, the history of every
// change, the caller's last opt-in, and the SMS DND the app itself set in HighLevel.
import type { Db } from './db.js';
import type { SuppressionHold, Suppressions, SuppressionSource } from '../workflow/ports/storage.js';

export interface SuppressionEntry { phone: string; source: SuppressionSource; createdAt: number; sources: SuppressionHold[] }
export interface SuppressionChange { phone: string; action: 'suppress' | 'lift'; source: string; reason: string | null; actor: string | null; at: number }

type SuppressInput = Parameters<Suppressions['suppress']>[0];
type LiftInput = Parameters<Suppressions['lift']>[0];

export function createSuppressions(db: Db) {
  const exists = db.prepare('SELECT 1 FROM suppressions WHERE location_id = ? AND phone = ?').pluck();
  const insert = db.prepare(`INSERT INTO suppressions (location_id, phone, source, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`);
  const primaryOf = db.prepare('SELECT source FROM suppressions WHERE location_id = ? AND phone = ?').pluck();
  const remove = db.prepare('DELETE FROM suppressions WHERE location_id = ? AND phone = ?');
  const setPrimary = db.prepare('UPDATE suppressions SET source = ? WHERE location_id = ? AND phone = ?');
  const addSource = db.prepare(`INSERT INTO suppression_sources (location_id, phone, source, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`);
  const removeSource = db.prepare('DELETE FROM suppression_sources WHERE location_id = ? AND phone = ? AND source = ?');
  const sourcesOf = db.prepare(`SELECT source, created_at AS since FROM suppression_sources WHERE location_id = ? AND phone = ? ORDER BY created_at, source`);
  const history = db.prepare(`INSERT INTO suppression_history (location_id, phone, action, source, reason, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const list = db.prepare(`
    SELECT phone, source, created_at AS createdAt FROM suppressions
    WHERE location_id = @locationId AND (@search IS NULL OR phone LIKE '%' || @search || '%')
    ORDER BY created_at DESC LIMIT @limit OFFSET @offset`);
  const count = db.prepare(`SELECT COUNT(*) FROM suppressions WHERE location_id = @locationId AND (@search IS NULL OR phone LIKE '%' || @search || '%')`).pluck();
  const historyOf = db.prepare(`SELECT phone, action, source, reason, actor, at FROM suppression_history WHERE location_id = ? AND phone = ? ORDER BY at, id`);
  const noteOptIn = db.prepare(`
    INSERT INTO opt_ins (location_id, phone, opted_in_at) VALUES (?, ?, ?)
    ON CONFLICT (location_id, phone) DO UPDATE SET opted_in_at = MAX(opted_in_at, excluded.opted_in_at)`);
  const lastOptIn = db.prepare('SELECT opted_in_at FROM opt_ins WHERE location_id = ? AND phone = ?').pluck();
  const noteAppDnd = db.prepare(`
    INSERT INTO app_dnd (location_id, contact_id, phone, set_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (location_id, contact_id) DO UPDATE SET phone = excluded.phone, set_at = excluded.set_at`);
  const appDndContacts = db.prepare('SELECT contact_id FROM app_dnd WHERE location_id = ? AND phone = ? ORDER BY set_at').pluck();
  const forgetAppDnd = db.prepare('DELETE FROM app_dnd WHERE location_id = ? AND contact_id = ?');

  const holdsOf = (locationId: string, phone: string) => sourcesOf.all(locationId, phone) as SuppressionHold[];

  /** A history row for every source that starts holding the number; true when the number was not suppressed before. */
  const suppress = db.transaction((input: SuppressInput, now: number) => {
    const added = insert.run(input.locationId, input.phone, input.source, now).changes === 1;
    const newSource = addSource.run(input.locationId, input.phone, input.source, now).changes === 1;
    if (newSource) history.run(input.locationId, input.phone, 'suppress', input.source, input.reason ?? null, input.actor, now);
    return added;
  });

  /** A history row for every source removed; the number leaves the list when no source holds it any more. */
  const lift = db.transaction((input: LiftInput, now: number) => {
    const primary = primaryOf.get(input.locationId, input.phone) as SuppressionSource | undefined;
    if (primary === undefined) return false;
    const recorded = holdsOf(input.locationId, input.phone);
    const held = recorded.length > 0 ? recorded : [{ source: primary, since: now }];
    const lifted = input.sources ? held.filter((hold) => input.sources!.includes(hold.source)) : held;
    for (const hold of lifted) {
      removeSource.run(input.locationId, input.phone, hold.source);
      history.run(input.locationId, input.phone, 'lift', hold.source, input.reason ?? null, input.actor, now);
    }
    const left = held.filter((hold) => !lifted.includes(hold));
    if (left.length > 0) {
      setPrimary.run(left[0].source, input.locationId, input.phone);
      return false;
    }
    remove.run(input.locationId, input.phone);
    return true;
  });

  const store = {
    isSuppressed: (locationId: string, phone: string) => exists.get(locationId, phone) === 1,
    suppress: (input: SuppressInput, now: number) => suppress.immediate(input, now),
    lift: (input: LiftInput, now: number) => lift.immediate(input, now),
    holdsOf,
    noteOptIn: (locationId: string, phone: string, at: number) => { noteOptIn.run(locationId, phone, at); },
    lastOptInAt: (locationId: string, phone: string) => (lastOptIn.get(locationId, phone) as number | undefined) ?? null,
    noteAppDnd: (input: { locationId: string; contactId: string; phone: string }, now: number) => { noteAppDnd.run(input.locationId, input.contactId, input.phone, now); },
    appDndContacts: (locationId: string, phone: string) => appDndContacts.all(locationId, phone) as string[],
    forgetAppDnd: (locationId: string, contactId: string) => { forgetAppDnd.run(locationId, contactId); },
    list(locationId: string, options: { search?: string | null; limit: number; offset: number }): { items: SuppressionEntry[]; total: number } {
      const params = { locationId, search: options.search?.replace(/[^\d]/g, '') || null, limit: options.limit, offset: options.offset };
      const rows = list.all(params) as Omit<SuppressionEntry, 'sources'>[];
      return { items: rows.map((row) => ({ ...row, sources: holdsOf(locationId, row.phone) })), total: count.get(params) as number };
    },
    history: (locationId: string, phone: string) => historyOf.all(locationId, phone) as SuppressionChange[],
  };
  return store satisfies Suppressions;
}
export type SuppressionStore = ReturnType<typeof createSuppressions>;
