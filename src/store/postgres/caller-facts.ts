// What the send pipeline checks about a caller, in one round trip on PostgreSQL (eight statements before): the same
// answers as the ledger, suppression list, call log, reply log, location numbers and line-type cache give one by one
// (test/contracts/caller-facts-contract.ts). Read in one snapshot; the reservation re-checks suppressions under lock.
import type { CallerFactsReader } from '../../workflow/ports/storage.js';
import type { AsyncStore } from '../async-store.js';
import { toEntry, type EntryRow } from '../rows/ledger.js';
import { LINE_TYPE_MAX_AGE_MS } from '../line-types.js';
import type { Postgres } from './pool.js';

type FactsRow = {
  owner: string | null;
  suppressed: boolean;
  answered: boolean;
  replied: boolean;
  last_texted_at: number | null;
  has_texted: boolean;
  line_type: string | null;
} & { [K in keyof EntryRow as `prior_${K}`]: EntryRow[K] | null };

const FACTS = `
  SELECT
    p.id AS prior_id, p.send_key AS prior_send_key, p.kind AS prior_kind, p.status AS prior_status, p.phone AS prior_phone,
    p.created_at AS prior_created_at, p.sent_at AS prior_sent_at,
    (SELECT n.location_id FROM location_numbers n JOIN locations l USING (location_id)
      WHERE n.phone = $2 AND l.status = 'installed' LIMIT 1) AS owner,
    EXISTS (SELECT 1 FROM suppressions WHERE location_id = $1 AND phone = $2) AS suppressed,
    EXISTS (SELECT 1 FROM calls WHERE location_id = $1 AND phone = $2 AND occurred_at > $4
      AND missed = 0 AND decision = 'ignored:answered') AS answered,
    ($5::bigint IS NOT NULL AND EXISTS (SELECT 1 FROM replies WHERE location_id = $1 AND phone = $2
      AND received_at >= $5)) AS replied,
    (SELECT MAX(created_at) FROM messages WHERE location_id = $1 AND phone = $2
      AND kind IN ('textback', 'followup') AND status <> 'failed') AS last_texted_at,
    EXISTS (SELECT 1 FROM messages WHERE location_id = $1 AND phone = $2 AND status <> 'failed') AS has_texted,
    (SELECT line_type FROM location_line_types WHERE location_id = $1 AND phone = $2
      AND checked_at > $6::bigint - ${LINE_TYPE_MAX_AGE_MS}) AS line_type
  FROM (SELECT 1) AS one LEFT JOIN messages p ON p.send_key = $3`;

export function createPostgresCallerFacts(pg: Pick<Postgres, 'pool'>): AsyncStore<CallerFactsReader> {
  return {
    async recall(query) {
      const { rows: [row] } = await pg.pool.query<FactsRow>(FACTS,
        [query.locationId, query.phone, query.sendKey, query.answeredAfter, query.repliedSince, query.now]);
      return {
        prior: row.prior_id === null ? null : toEntry({
          id: row.prior_id, send_key: row.prior_send_key!, kind: row.prior_kind!, status: row.prior_status!, phone: row.prior_phone!,
          created_at: row.prior_created_at!, sent_at: row.prior_sent_at,
        }),
        ownerOfNumber: row.owner,
        suppressed: row.suppressed,
        answeredSince: row.answered,
        repliedSince: row.replied,
        lastTextedAt: row.last_texted_at,
        hasTexted: row.has_texted,
        knownLineType: row.line_type,
      };
    },
  };
}
