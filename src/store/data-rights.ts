// A person's data rights at one location: a copy of everything held about their number, and its erasure.
// Erasure keeps the suppression entry and its history, so an erased number is still never texted again.
import type { Db } from './db.js';

export interface CallExport { id: number; contactId: string | null; occurredAt: number; callStatus: string; missed: boolean; decision: string; decisionAt: number }
export interface MessageExport {
  id: number; kind: string; callId: number | null; contactId: string | null; body: string; status: string; provider: string;
  providerMessageId: string | null; errorCode: string | null; errorMessage: string | null; segments: number | null;
  createdAt: number; sentAt: number | null; updatedAt: number;
}
export interface FollowUpExport { callId: number; state: string; at: number | null }
export interface ReplyExport { id: number; contactId: string | null; meaning: string; receivedAt: number }
export interface SuppressionChangeExport { action: 'suppress' | 'lift'; source: string; reason: string | null; actor: string | null; at: number }
export interface JobExport { id: number; kind: string; status: string; runAt: number; createdAt: number; finishedAt: number | null }

export interface NumberExport {
  locationId: string;
  phone: string;
  generatedAt: number;
  suppression: { suppressed: boolean; source: string | null; since: number | null };
  suppressionHistory: SuppressionChangeExport[];
  calls: CallExport[];
  messages: MessageExport[];
  followUps: FollowUpExport[];
  replies: ReplyExport[];
  /** Work queued or done about the number (kind, state and times; payloads are internal and not copied). */
  jobs: JobExport[];
  /** Cached provider lookups (e.g. line type), when this database has such a table; every column as stored. */
  lookups: Record<string, unknown>[];
}

export interface ErasureCounts { calls: number; messages: number; replies: number; jobs: number; lookups: number }

/**
 * Per-number caches, each exported and erased (only the asking location's rows) when its table exists. Migration 3's
 * shared `line_types` is not listed: no location owns its rows, so none may read or erase them (retention empties it).
 */
const LOOKUP_TABLES = ['location_line_types'];

export type DataRights = ReturnType<typeof createDataRights>;

export interface DataRightsOptions {
  /**
   * Job kinds that are inbound events (the job registry's `inboundEventKinds`): one not yet processed may be the
   * person's own STOP, so erasure lets it run.
   */
  inboundEventKinds: readonly string[];
}

export function createDataRights(db: Db, options: DataRightsOptions) {
  const inboundKinds = options.inboundEventKinds;
  const suppression = db.prepare('SELECT source, created_at AS since FROM suppressions WHERE location_id = ? AND phone = ?');
  const history = db.prepare('SELECT action, source, reason, actor, at FROM suppression_history WHERE location_id = ? AND phone = ? ORDER BY at, id');
  const calls = db.prepare(`
    SELECT id, contact_id AS contactId, occurred_at AS occurredAt, status AS callStatus, missed, decision, decision_at AS decisionAt,
      followup, followup_at AS followupAt
    FROM calls WHERE location_id = ? AND phone = ? ORDER BY occurred_at, id`);
  const messages = db.prepare(`
    SELECT id, kind, call_id AS callId, contact_id AS contactId, body, status, provider, provider_message_id AS providerMessageId,
      error_code AS errorCode, error_message AS errorMessage, segments, created_at AS createdAt, sent_at AS sentAt, updated_at AS updatedAt
    FROM messages WHERE location_id = ? AND phone = ? ORDER BY created_at, id`);
  const replies = db.prepare(`
    SELECT id, contact_id AS contactId, meaning, received_at AS receivedAt FROM replies WHERE location_id = ? AND phone = ? ORDER BY received_at, id`);
  const contactIds = db.prepare(`
    SELECT contact_id FROM calls WHERE location_id = @locationId AND phone = @phone AND contact_id IS NOT NULL
    UNION SELECT contact_id FROM messages WHERE location_id = @locationId AND phone = @phone AND contact_id IS NOT NULL
    UNION SELECT contact_id FROM replies WHERE location_id = @locationId AND phone = @phone AND contact_id IS NOT NULL`).pluck();
  // A job is about the number when it names it as subject, carries it in its payload (as a whole JSON string, so a
  // shorter number never matches inside a longer one), or concerns a contact that had it.
  const aboutNumber = `location_id = @locationId
    AND (subject = @phone OR instr(payload, '"' || @phone || '"') > 0 OR subject IN (SELECT value FROM json_each(@contacts)))`;
  const jobs = db.prepare(`
    SELECT id, kind, status, run_at AS runAt, created_at AS createdAt, finished_at AS finishedAt FROM jobs WHERE ${aboutNumber} ORDER BY created_at, id`);
  const inbound = inboundKinds.map((_, i) => `@kind${i}`).join(', ');
  const deleteJobs = db.prepare(`
    DELETE FROM jobs WHERE ${aboutNumber}${inboundKinds.length ? ` AND NOT (status IN ('pending', 'running') AND kind IN (${inbound}))` : ''}`);
  const deleteMessages = db.prepare('DELETE FROM messages WHERE location_id = ? AND phone = ?');
  const deleteCalls = db.prepare('DELETE FROM calls WHERE location_id = ? AND phone = ?');
  const deleteReplies = db.prepare('DELETE FROM replies WHERE location_id = ? AND phone = ?');
  const lookupTables = existingLookupTables(db);
  const kindParams = Object.fromEntries(inboundKinds.map((kind, i) => [`kind${i}`, kind]));

  const jobParams = (locationId: string, phone: string) => ({
    locationId, phone, contacts: JSON.stringify(contactIds.all({ locationId, phone })),
  });

  const erase = db.transaction((locationId: string, phone: string): ErasureCounts => {
    // Jobs first: finding them uses the contact ids the other records hold.
    const jobsErased = deleteJobs.run({ ...jobParams(locationId, phone), ...kindParams }).changes;
    const messagesErased = deleteMessages.run(locationId, phone).changes;
    const callsErased = deleteCalls.run(locationId, phone).changes;
    const repliesErased = deleteReplies.run(locationId, phone).changes;
    let lookups = 0;
    for (const table of lookupTables) lookups += db.prepare(`DELETE FROM ${table.name} WHERE ${table.where}`).run({ locationId, phone }).changes;
    return { calls: callsErased, messages: messagesErased, replies: repliesErased, jobs: jobsErased, lookups };
  });

  function suppressionOf(locationId: string, phone: string): NumberExport['suppression'] {
    const entry = suppression.get(locationId, phone) as { source: string; since: number } | undefined;
    return { suppressed: entry !== undefined, source: entry?.source ?? null, since: entry?.since ?? null };
  }

  return {
    suppressionOf,
    /** Everything held about `phone` (E.164) at the location, oldest first within each part. */
    exportNumber(locationId: string, phone: string, now: number): NumberExport {
      const read = db.transaction((): NumberExport => {
        const callRows = calls.all(locationId, phone) as (Omit<CallExport, 'missed'> & { missed: number; followup: string | null; followupAt: number | null })[];
        return {
          locationId,
          phone,
          generatedAt: now,
          suppression: suppressionOf(locationId, phone),
          suppressionHistory: history.all(locationId, phone) as SuppressionChangeExport[],
          calls: callRows.map(({ followup: _f, followupAt: _a, missed, ...call }) => ({ ...call, missed: missed === 1 })),
          messages: messages.all(locationId, phone) as MessageExport[],
          followUps: callRows.filter((call) => call.followup !== null).map((call) => ({ callId: call.id, state: call.followup!, at: call.followupAt })),
          replies: replies.all(locationId, phone) as ReplyExport[],
          jobs: jobs.all(jobParams(locationId, phone)) as JobExport[],
          lookups: lookupTables.flatMap((table) =>
            (db.prepare(`SELECT * FROM ${table.name} WHERE ${table.where}`).all({ locationId, phone }) as Record<string, unknown>[])
              .map((row) => ({ table: table.name, ...camelKeys(row) }))),
        };
      });
      // One read transaction: the parts of the copy are consistent with each other.
      return read();
    },

    /**
     * Deletes the number's calls, messages, replies, jobs and cached lookups at the location in one transaction.
     * Kept: the suppression entry and its history, and inbound events not yet processed (they run as if just arrived).
     */
    eraseNumber(locationId: string, phone: string): ErasureCounts {
      return erase.immediate(locationId, phone);
    },

    /** Whether the database knows this location at all (installed once, or still holding its suppression list). */
    knowsLocation(locationId: string): boolean {
      return db.prepare(`
        SELECT EXISTS (SELECT 1 FROM locations WHERE location_id = @id)
          OR EXISTS (SELECT 1 FROM suppression_history WHERE location_id = @id)`).pluck().get({ id: locationId }) === 1;
    },
  };
}

/** Lookup-cache tables present in this database, with how to select one number's rows (per location when the table has one). */
function existingLookupTables(db: Db): { name: string; where: string }[] {
  const out: { name: string; where: string }[] = [];
  for (const name of LOOKUP_TABLES) {
    const columns = (db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(name) as string[]);
    if (!columns.includes('phone')) continue;
    out.push({ name, where: columns.includes('location_id') ? 'location_id = @locationId AND phone = @phone' : 'phone = @phone' });
  }
  return out;
}

function camelKeys(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), value]));
}
