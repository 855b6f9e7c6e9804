// Facts the app notices about a location by itself (HighLevel's native text-back answering too), with the look-ups
// that noticing needs: a recent missed call from the contact, and whether an outbound text was the app's own.
import type { Db } from './db.js';
import type { FlagSighting, LocationFlags } from '../workflow/ports/storage.js';

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

export function createLocationFlags(db: Db) {
  // calls_location_time narrows to the window; the contact is checked on the few rows in it.
  const missedCall = db.prepare(`
    SELECT 1 FROM calls WHERE location_id = ? AND occurred_at >= ? AND occurred_at <= ? AND missed = 1 AND contact_id = ?
    LIMIT 1`).pluck();
  const byProviderId = db.prepare(`SELECT 1 FROM messages WHERE provider_message_id = ? AND location_id = ? LIMIT 1`).pluck();
  const recentBodies = db.prepare(`
    SELECT body FROM messages WHERE location_id = ? AND created_at >= ? AND contact_id = ? LIMIT 50`).pluck();
  const raise = db.prepare(`
    INSERT INTO location_flags (location_id, flag, first_seen_at, last_seen_at, hits) VALUES (@locationId, @flag, @at, @at, 1)
    ON CONFLICT (location_id, flag) DO UPDATE SET last_seen_at = MAX(last_seen_at, excluded.last_seen_at), hits = hits + 1`);
  const list = db.prepare(`
    SELECT flag, first_seen_at AS firstSeenAt, last_seen_at AS lastSeenAt, hits FROM location_flags WHERE location_id = ?`);

  const flags = {
    hadMissedCall: (locationId: string, contactId: string, from: number, to: number) =>
      missedCall.get(locationId, from, to, contactId) === 1,
    isOwnText(locationId: string, text: { messageId: string | null; contactId: string; body: string; since: number }): boolean {
      if (text.messageId && byProviderId.get(text.messageId, locationId) === 1) return true;
      // HighLevel may add a sender name or an opt-out line around the app's words: containment, not equality.
      const body = squash(text.body);
      if (!body) return false;
      return (recentBodies.all(locationId, text.since, text.contactId) as string[])
        .some((ours) => { const own = squash(ours); return own !== '' && body.includes(own); });
    },
    raise(locationId: string, flag: string, at: number): void {
      raise.run({ locationId, flag, at });
    },
    list: (locationId: string) => list.all(locationId) as FlagSighting[],
  };
  return flags satisfies LocationFlags;
}
export type LocationFlagStore = ReturnType<typeof createLocationFlags>;
