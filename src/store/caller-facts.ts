// What the send pipeline checks about a caller, read in one statement on SQLite: the same answers as the ledger,
// suppression list, call log, reply log, location numbers and line-type cache give one by one
// (test/contracts/caller-facts-contract.ts).
import type { Db } from './db.js';
import type { CallerFactsReader } from '../workflow/ports/storage.js';
import { ENTRY_COLUMNS, toEntry, type EntryRow } from './rows/ledger.js';
import { LINE_TYPE_MAX_AGE_MS } from './line-types.js';

interface FactsRow {
  owner: string | null;
  suppressed: number;
  answered: number;
  replied: number;
  last_texted_at: number | null;
  has_texted: number;
  line_type: string | null;
}

export function createCallerFacts(db: Db): CallerFactsReader {
  const prior = db.prepare(`SELECT ${ENTRY_COLUMNS} FROM messages WHERE send_key = ?`);
  const facts = db.prepare(`
    SELECT
      (SELECT n.location_id FROM location_numbers n JOIN locations l USING (location_id)
        WHERE n.phone = @phone AND l.status = 'installed' LIMIT 1) AS owner,
      EXISTS (SELECT 1 FROM suppressions WHERE location_id = @locationId AND phone = @phone) AS suppressed,
      EXISTS (SELECT 1 FROM calls WHERE location_id = @locationId AND phone = @phone AND occurred_at > @answeredAfter
        AND missed = 0 AND decision = 'ignored:answered') AS answered,
      (@repliedSince IS NOT NULL AND EXISTS (SELECT 1 FROM replies WHERE location_id = @locationId AND phone = @phone
        AND received_at >= @repliedSince)) AS replied,
      (SELECT MAX(created_at) FROM messages WHERE location_id = @locationId AND phone = @phone
        AND kind IN ('textback', 'followup') AND status <> 'failed') AS last_texted_at,
      EXISTS (SELECT 1 FROM messages WHERE location_id = @locationId AND phone = @phone AND status <> 'failed') AS has_texted,
      (SELECT line_type FROM location_line_types WHERE location_id = @locationId AND phone = @phone
        AND checked_at > @now - ${LINE_TYPE_MAX_AGE_MS}) AS line_type`);

  return {
    recall(query) {
      const row = facts.get({ locationId: query.locationId, phone: query.phone, answeredAfter: query.answeredAfter, repliedSince: query.repliedSince, now: query.now }) as FactsRow;
      const entry = prior.get(query.sendKey) as EntryRow | undefined;
      return {
        prior: entry ? toEntry(entry) : null,
        ownerOfNumber: row.owner,
        suppressed: row.suppressed === 1,
        answeredSince: row.answered === 1,
        repliedSince: row.replied === 1,
        lastTextedAt: row.last_texted_at,
        hasTexted: row.has_texted === 1,
        knownLineType: row.line_type,
      };
    },
  };
}
