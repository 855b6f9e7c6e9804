// Which location may send from which sender of the app-wide Twilio account, on PostgreSQL (see src/store/app-senders.ts:
// a sender is a location's only when the operator assigned it or HighLevel lists the number as the location's own).
import type { AsyncStore } from '../async-store.js';
import { senderKey, type AppSenderAssignment, type AppSenders, type AssignOutcome } from '../app-senders.js';
import { transaction, type Postgres, type Queryable } from './pool.js';

export type PostgresAppSenders = AsyncStore<AppSenders>;

const SELECT = /* sql */ `
  SELECT sender, location_id AS "locationId", assigned_by AS "assignedBy", assigned_at AS "assignedAt" FROM app_senders WHERE sender = $1`;

export function createPostgresAppSenders(pg: Pick<Postgres, 'pool'>): PostgresAppSenders {
  const db = pg.pool;
  const assignmentOn = async (client: Queryable, sender: string): Promise<AppSenderAssignment | null> =>
    (await client.query<AppSenderAssignment>(SELECT, [sender])).rows[0] ?? null;

  return {
    assignment: (sender) => assignmentOn(db, sender),
    async assign(sender, locationId, actor, now) {
      // Read-then-insert, as on SQLite, made atomic across instances by a transaction-scoped advisory lock on the sender:
      // a second assign of the same sender waits, then reads the first one's committed row and answers 'taken'/'unchanged'.
      return transaction(db, async (client): Promise<AssignOutcome> => {
        await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`app-sender:${sender}`]);
        const current = await assignmentOn(client, sender);
        if (current) return current.locationId === locationId ? { outcome: 'unchanged' } : { outcome: 'taken', by: current.locationId };
        await client.query('INSERT INTO app_senders (sender, location_id, assigned_by, assigned_at) VALUES ($1, $2, $3, $4)', [sender, locationId, actor, now]);
        return { outcome: 'assigned' };
      });
    },
    async savedByOthers(sender, locationId) {
      const { rows } = await db.query<{ location_id: string }>(`
        SELECT location_id FROM twilio_accounts WHERE use_app_account = 1 AND location_id <> $1 AND (from_number = $2 OR messaging_service_sid = $2)`,
      [locationId, sender]);
      return rows.map((row) => row.location_id);
    },
    async unassign(sender, locationId) {
      return (await db.query('DELETE FROM app_senders WHERE sender = $1 AND location_id = $2', [sender, locationId])).rowCount === 1;
    },
    async mayUse(locationId, sender) {
      const key = senderKey(sender);
      if (!key) return false;
      // One round trip: the assignment, if any, decides; else (a number only) HighLevel's list for the location.
      const { rows } = await db.query<{ assigned: string | null; listed: boolean }>(`
        SELECT (SELECT location_id FROM app_senders WHERE sender = $1) AS assigned,
          EXISTS (SELECT 1 FROM location_numbers WHERE location_id = $2 AND phone = $3) AS listed`,
      [key, locationId, sender.fromNumber]);
      const { assigned, listed } = rows[0];
      if (assigned !== null) return assigned === locationId;
      return sender.fromNumber !== null && listed;
    },
  };
}
