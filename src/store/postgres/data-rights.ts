// A person's data rights at one location on PostgreSQL: the twin of src/store/data-rights.ts. The copy is read from
// one snapshot; the erasure is one transaction and keeps the suppression entry and its history.
import type { PoolClient } from 'pg';
import type { AsyncStore } from '../async-store.js';
import type {
  CallExport, DataRights, DataRightsOptions, ErasureCounts, JobExport, MessageExport, NumberExport, ReplyExport, SuppressionChangeExport,
} from '../data-rights.js';
import { transaction, type Postgres, type Queryable } from './pool.js';

/** Per-number caches, each exported and erased (only the asking location's rows) when its table exists. See data-rights.ts. */
const LOOKUP_TABLES = ['location_line_types'];

type LookupTable = { name: string; perLocation: boolean };

const CALLS = `
  SELECT id, contact_id AS "contactId", occurred_at AS "occurredAt", status AS "callStatus", missed, decision, decision_at AS "decisionAt",
    followup, followup_at AS "followupAt"
  FROM calls WHERE location_id = $1 AND phone = $2 ORDER BY occurred_at, id`;
const MESSAGES = `
  SELECT id, kind, call_id AS "callId", contact_id AS "contactId", body, status, provider, provider_message_id AS "providerMessageId",
    error_code AS "errorCode", error_message AS "errorMessage", segments, created_at AS "createdAt", sent_at AS "sentAt", updated_at AS "updatedAt"
  FROM messages WHERE location_id = $1 AND phone = $2 ORDER BY created_at, id`;
const REPLIES = `
  SELECT id, contact_id AS "contactId", meaning, received_at AS "receivedAt" FROM replies WHERE location_id = $1 AND phone = $2 ORDER BY received_at, id`;
const HISTORY = 'SELECT action, source, reason, actor, at FROM suppression_history WHERE location_id = $1 AND phone = $2 ORDER BY at, id';
const CONTACTS = `
  SELECT contact_id FROM calls WHERE location_id = $1 AND phone = $2 AND contact_id IS NOT NULL
  UNION SELECT contact_id FROM messages WHERE location_id = $1 AND phone = $2 AND contact_id IS NOT NULL
  UNION SELECT contact_id FROM replies WHERE location_id = $1 AND phone = $2 AND contact_id IS NOT NULL`;
// A job is about the number when it names it as subject, carries it in its payload (as a whole JSON string, so a
// shorter number never matches inside a longer one), or concerns a contact that had it. $3: those contacts' ids.
const ABOUT_NUMBER = `location_id = $1 AND (subject = $2 OR strpos(payload, '"' || $2 || '"') > 0 OR subject = ANY ($3::text[]))`;

type CallRow = Omit<CallExport, 'missed'> & { missed: number; followup: string | null; followupAt: number | null };

export type PostgresDataRights = ReturnType<typeof createPostgresDataRights>;

export function createPostgresDataRights(pg: Pick<Postgres, 'pool'>, options: DataRightsOptions) {
  const db = pg.pool;
  const inboundKinds = [...options.inboundEventKinds];
  let lookupTables: Promise<LookupTable[]> | undefined;
  const lookups = () => (lookupTables ??= existingLookupTables(db).catch((error: unknown) => { lookupTables = undefined; throw error; }));

  const contactsOf = async (q: Queryable, locationId: string, phone: string): Promise<string[]> =>
    (await q.query<{ contact_id: string }>(CONTACTS, [locationId, phone])).rows.map((row) => row.contact_id);

  async function suppressionOn(q: Queryable, locationId: string, phone: string): Promise<NumberExport['suppression']> {
    const { rows } = await q.query<{ source: string; since: number }>('SELECT source, created_at AS since FROM suppressions WHERE location_id = $1 AND phone = $2', [locationId, phone]);
    const entry = rows[0];
    return { suppressed: entry !== undefined, source: entry?.source ?? null, since: entry?.since ?? null };
  }

  async function readExport(client: PoolClient, tables: LookupTable[], locationId: string, phone: string, now: number): Promise<NumberExport> {
    const values = [locationId, phone];
    const callRows = (await client.query<CallRow>(CALLS, values)).rows;
    const jobs = await client.query<JobExport>(`
      SELECT id, kind, status, run_at AS "runAt", created_at AS "createdAt", finished_at AS "finishedAt" FROM jobs
      WHERE ${ABOUT_NUMBER} ORDER BY created_at, id`, [locationId, phone, await contactsOf(client, locationId, phone)]);
    const lookupRows: Record<string, unknown>[] = [];
    for (const table of tables) {
      const { rows } = await client.query<Record<string, unknown>>(`SELECT * FROM ${table.name} WHERE ${whereNumber(table)}`, values);
      for (const row of rows) lookupRows.push({ table: table.name, ...camelKeys(row) });
    }
    return {
      locationId,
      phone,
      generatedAt: now,
      suppression: await suppressionOn(client, locationId, phone),
      suppressionHistory: (await client.query<SuppressionChangeExport>(HISTORY, values)).rows,
      calls: callRows.map(({ followup: _f, followupAt: _a, missed, ...call }) => ({ ...call, missed: missed === 1 })),
      messages: (await client.query<MessageExport>(MESSAGES, values)).rows,
      followUps: callRows.filter((call) => call.followup !== null).map((call) => ({ callId: call.id, state: call.followup!, at: call.followupAt })),
      replies: (await client.query<ReplyExport>(REPLIES, values)).rows,
      jobs: jobs.rows,
      lookups: lookupRows,
    };
  }

  return {
    suppressionOf: (locationId: string, phone: string) => suppressionOn(db, locationId, phone),

    /** Everything held about `phone` (E.164) at the location, oldest first within each part. */
    async exportNumber(locationId: string, phone: string, now: number): Promise<NumberExport> {
      // Looked up before the transaction: inside it, a second pooled connection could wait on a pool its peers hold.
      const tables = await lookups();
      // One REPEATABLE READ, READ ONLY transaction: every part of the copy is read from the same snapshot.
      return transaction(db, async (client) => {
        await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
        return readExport(client, tables, locationId, phone, now);
      });
    },

    /**
     * Deletes the number's calls, messages, replies, jobs and cached lookups at the location in one transaction.
     * Kept: the suppression entry and its history, and inbound events not yet processed (they run as if just arrived).
     * READ COMMITTED is enough and no lock of our own is taken: each DELETE locks the rows it removes (waiting for an
     * instance claiming or settling one of them), and a row another instance commits after a DELETE has run is one
     * that arrived after the erasure, as on SQLite when it commits just after.
     */
    async eraseNumber(locationId: string, phone: string): Promise<ErasureCounts> {
      const tables = await lookups();
      return transaction(db, async (client) => {
        const values = [locationId, phone];
        const count = async (text: string, params: unknown[]) => (await client.query(text, params)).rowCount ?? 0;
        // Jobs first: finding them uses the contact ids the other records hold.
        const keepInbound = inboundKinds.length ? ` AND NOT (status IN ('pending', 'running') AND kind = ANY ($4::text[]))` : '';
        const jobParams = [locationId, phone, await contactsOf(client, locationId, phone), ...(inboundKinds.length ? [inboundKinds] : [])];
        const jobs = await count(`DELETE FROM jobs WHERE ${ABOUT_NUMBER}${keepInbound}`, jobParams);
        const messages = await count('DELETE FROM messages WHERE location_id = $1 AND phone = $2', values);
        const calls = await count('DELETE FROM calls WHERE location_id = $1 AND phone = $2', values);
        const replies = await count('DELETE FROM replies WHERE location_id = $1 AND phone = $2', values);
        let lookupsErased = 0;
        for (const table of tables) lookupsErased += await count(`DELETE FROM ${table.name} WHERE ${whereNumber(table)}`, values);
        return { calls, messages, replies, jobs, lookups: lookupsErased };
      });
    },

    /** Whether the database knows this location at all (installed once, or still holding its suppression list). */
    async knowsLocation(locationId: string): Promise<boolean> {
      const { rows } = await db.query<{ known: boolean }>(`
        SELECT EXISTS (SELECT 1 FROM locations WHERE location_id = $1)
          OR EXISTS (SELECT 1 FROM suppression_history WHERE location_id = $1) AS known`, [locationId]);
      return rows[0].known;
    },
  } satisfies AsyncStore<DataRights>;
}

const whereNumber = (table: LookupTable) => (table.perLocation ? 'location_id = $1 AND phone = $2' : 'phone = $2 AND $1::text IS NOT NULL');

/** Lookup-cache tables present in this schema, and whether each is kept per location. */
async function existingLookupTables(db: Queryable): Promise<LookupTable[]> {
  const { rows } = await db.query<{ table_name: string; column_name: string }>(`
    SELECT table_name, column_name FROM information_schema.columns
    WHERE table_schema = current_schema() AND table_name = ANY ($1::text[]) AND column_name IN ('phone', 'location_id')`, [LOOKUP_TABLES]);
  return LOOKUP_TABLES.flatMap((name) => {
    const columns = rows.filter((row) => row.table_name === name).map((row) => row.column_name);
    return columns.includes('phone') ? [{ name, perLocation: columns.includes('location_id') }] : [];
  });
}

function camelKeys(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), value]));
}
