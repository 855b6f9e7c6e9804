// The several-instances test's view of the shared PostgreSQL database: what is still to do, the fast-forwards that
// stand in for time passing (a dead instance's leases, tokens' expiry, follow-ups' delay), and the rows to audit.
import type { Pool } from 'pg';

const TEXT_KINDS = ['highlevel-event', 'textback'];
const ALL_KINDS = ['highlevel-event', 'textback', 'followup'];

export function instancesDatabase(pool: Pool) {
  const unfinished = async (kinds: string[]) => (await pool.query<{ id: number; status: string; lease_until: number | null }>(
    `SELECT id, status, lease_until FROM jobs WHERE status IN ('pending', 'running') AND kind = ANY($1::text[]) ORDER BY id`, [kinds])).rows;
  return {
    textJobs: () => unfinished(TEXT_KINDS),
    allJobs: () => unfinished(ALL_KINDS),
    /**
     * A killed instance's jobs come back when their 5-minute lease expires: this is that time passing for the jobs
     * leased before `leasedBefore` (claims made before the kill), once nothing else is running.
     */
    expireLeases: async (leasedBefore: number, now: number) =>
      (await pool.query(`UPDATE jobs SET lease_until = $2 WHERE status = 'running' AND lease_until <= $1`, [leasedBefore, now])).rowCount ?? 0,
    /** The tokens' expiry reached: the next request of each location renews its token (a rotation). */
    expireTokens: async (now: number) => (await pool.query(`UPDATE tokens SET expires_at = $1 WHERE owner_type = 'Location'`, [now])).rowCount ?? 0,
    /** The follow-up delay (at least 15 minutes) has passed. */
    makeFollowUpsDue: async (now: number) =>
      (await pool.query(`UPDATE jobs SET run_at = $1 WHERE kind = 'followup' AND status = 'pending'`, [now])).rowCount ?? 0,
    failedJobs: async () => (await pool.query<{ kind: string; error: string }>(`SELECT kind, last_error AS error FROM jobs WHERE status = 'failed'`)).rows,
    calls: async () => (await pool.query<{ location_id: string; call_key: string; decision: string; followup: string | null }>(
      'SELECT location_id, call_key, decision, followup FROM calls')).rows,
    messages: async () => (await pool.query<{ send_key: string; kind: string; contact_id: string | null; status: string; body: string }>(
      `SELECT send_key, kind, contact_id, status, body FROM messages WHERE kind IN ('textback', 'followup')`)).rows,
    tokensNeedingReconnect: async () => (await pool.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM tokens WHERE needs_reconnect <> 0`)).rows[0].n,
  };
}
