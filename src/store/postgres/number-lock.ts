// The per-number lock of the suppression list on PostgreSQL: a send's reservation and every change to a number's
// suppression take it, so a STOP and a send to the same number are ordered (issue 17, point 2).
import type { Queryable } from './pool.js';

/**
 * The advisory-lock key of one (location, number); a hash collision only makes two numbers wait for each other. A
 * send's reservation takes the same lock inside textback_reserve_send (PostgreSQL migration 12), which is given this
 * key and hashes it as lockNumber() does: a change to the hashing needs a new version of that function.
 */
export const numberLockKey = (locationId: string, phone: string): string => `textback:number:${locationId}:${phone}`;

/**
 * Holds the (location, number) lock until the surrounding transaction ends; `client` must be inside one (a
 * transaction-scoped lock taken in autocommit is released at once). Transaction-scoped, so it also holds behind
 * PgBouncer in transaction mode. A statement issued after this one sees every change committed under the lock before.
 */
export async function lockNumber(client: Queryable, locationId: string, phone: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [numberLockKey(locationId, phone)]);
}
