// PostgreSQL migration 12: a send's reservation with its suppression check as one function, so src/store/postgres/
// ledger.ts reserves in one round trip instead of a transaction of four or five. Only adds (CREATE OR REPLACE): a
// build before it never calls the function. SQLite migration 12 is its no-op twin.
export const sql = /* sql */ `
-- Called as one autocommit statement. lock_key is numberLockKey(location, phone) (number-lock.ts), hashed as
-- lockNumber() hashes it: the same advisory lock every suppression change takes, held until this statement commits.
-- VOLATILE under READ COMMITTED: each statement below takes its own snapshot, so the INSERT, started after the lock
-- was granted, sees every suppression committed before it. Returns one row (reserved: the new entry; exists: the
-- entry already under send_key, which wins over a suppression; suppressed: no entry), or none when a conflicting
-- entry was released in between: the caller tries again.
CREATE OR REPLACE FUNCTION textback_reserve_send(
  lock_key text, p_location_id text, p_send_key text, p_kind text, p_call_id bigint, p_contact_id text, p_phone text,
  p_body text, p_provider text, p_segments integer, p_now bigint
) RETURNS TABLE (outcome text, id bigint, send_key text, kind text, status text, phone text, created_at bigint, sent_at bigint)
LANGUAGE plpgsql VOLATILE AS $fn$
#variable_conflict use_column
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(lock_key, 0));
  RETURN QUERY
    INSERT INTO messages AS m (location_id, send_key, kind, call_id, contact_id, phone, body, status, provider, segments, created_at, updated_at)
    SELECT p_location_id, p_send_key, p_kind, p_call_id, p_contact_id, p_phone, p_body, 'sending', p_provider, p_segments, p_now, p_now
    WHERE NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.location_id = p_location_id AND s.phone = p_phone)
    ON CONFLICT (send_key) DO NOTHING
    RETURNING 'reserved'::text, m.id, m.send_key, m.kind, m.status, m.phone, m.created_at, m.sent_at;
  IF FOUND THEN RETURN; END IF;
  RETURN QUERY
    SELECT 'exists'::text, m.id, m.send_key, m.kind, m.status, m.phone, m.created_at, m.sent_at FROM messages m WHERE m.send_key = p_send_key;
  IF FOUND THEN RETURN; END IF;
  -- Still under the lock: the list is as the INSERT saw it.
  RETURN QUERY
    SELECT 'suppressed'::text, NULL::bigint, NULL::text, NULL::text, NULL::text, NULL::text, NULL::bigint, NULL::bigint
    WHERE EXISTS (SELECT 1 FROM suppressions s WHERE s.location_id = p_location_id AND s.phone = p_phone);
END
$fn$;
`;
