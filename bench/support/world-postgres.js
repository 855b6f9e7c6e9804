// The benchmark world on PostgreSQL: locations and tokens installed through the app's PostgreSQL stores, bulk
// history and pending follow-ups in SQL (the same rows world.js seeds into SQLite), follow-ups pulled due.
import { join } from 'node:path';
import { DIST } from './children.js';

const { createPostgresLocationStore } = await import(join(DIST, 'store', 'postgres', 'locations.js'));
const { createPostgresTokenStore } = await import(join(DIST, 'store', 'postgres', 'tokens.js'));

/** Installs each granted location (settings, profile, sealed tokens) as the app's own stores write them. */
export async function installOnPostgres(database, { grants, companyId, settings, zone, box, numberOf, now }) {
  const pg = database.open({ max: 8 });
  try {
    const locations = createPostgresLocationStore(pg);
    const tokens = createPostgresTokenStore(pg, box);
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < grants.length) {
        const i = next++;
        const { locationId, token } = grants[i];
        const number = numberOf(i);
        await locations.install({ locationId, companyId, settings }, now);
        await locations.saveProfile(locationId, { name: `Bench Location ${i}`, timeZone: zone, phone: number, numbers: [number] }, now);
        await tokens.save({ ownerId: locationId, ownerType: 'Location', companyId, accessToken: token.access_token, refreshToken: token.refresh_token, expiresAt: now + token.expires_in * 1000, scope: token.scope, userId: token.userId }, now);
      }
    }));
  } finally {
    await pg.close();
  }
}

/**
 * `calls` past missed calls (each texted back: one messages row too) over the last 90 days and `pendingFollowUps`
 * follow-ups due between 1 hour and 7 days from now, as seedHistory in world.js does for SQLite. The tables'
 * secondary indexes are dropped first and rebuilt from their own definitions afterwards (same end state, faster).
 */
export async function seedHistoryPostgres(database, locationIds, { calls, pendingFollowUps }) {
  const pg = database.open({ max: 1 });
  const client = await pg.pool.connect();
  try {
    const now = Date.now();
    await client.query(`SET maintenance_work_mem = '256MB'`);
    await client.query('SET synchronous_commit = off');
    const { rows: indexes } = await client.query(`
      SELECT i.indexname, i.indexdef FROM pg_indexes i
      WHERE i.tablename IN ('calls', 'messages', 'jobs') AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`);
    for (const { indexname } of indexes) await client.query(`DROP INDEX ${indexname}`);
    await client.query(`
      INSERT INTO calls (location_id, call_key, contact_id, phone, status, missed, occurred_at, decision, decision_at, followup, followup_at)
      SELECT l.ids[1 + i % cardinality(l.ids)], 'hist-' || i, 'hist-contact-' || i, '+447777' || lpad((i % 1000000)::text, 6, '0'), 'no-answer', 1,
        t.at, 'texted', t.at, 'sent', $2::bigint - 89 * 86400000::bigint + (i::bigint * 7776) % (89 * 86400000::bigint)
      FROM generate_series(0, $1::int - 1) AS i, (SELECT $3::text[] AS ids) l,
        LATERAL (SELECT $2::bigint - 90 * 86400000::bigint + (i::bigint * 7776) % (90 * 86400000::bigint) AS at) t`,
    [calls, now, locationIds]);
    await client.query(`
      INSERT INTO messages (location_id, send_key, kind, call_id, contact_id, phone, body, status, provider, provider_message_id, segments, created_at, sent_at, updated_at)
      SELECT location_id, 'textback:' || location_id || ':' || call_key, 'textback', id, contact_id, phone,
        'Sorry we missed your call. How can we help?', 'delivered', 'highlevel', 'hist-msg-' || id, 1, occurred_at + 5000, occurred_at + 5000, occurred_at + 8000
      FROM calls WHERE call_key LIKE 'hist-%'`);
    await client.query(`
      INSERT INTO jobs (kind, location_id, subject, dedupe_key, payload, status, run_at, max_attempts, created_at, priority, queued_at)
      SELECT 'followup', l.ids[1 + i % cardinality(l.ids)], '+447777' || lpad((i % 1000000)::text, 6, '0'), 'followup:' || l.ids[1 + i % cardinality(l.ids)] || ':future-' || i,
        '{"callId":' || (1 + i % $3::int) || ',"textBackSentAt":' || $2::bigint || '}', 'pending', t.run_at, 8, $2::bigint, 20, t.run_at
      FROM generate_series(0, $1::int - 1) AS i, (SELECT $4::text[] AS ids) l,
        LATERAL (SELECT $2::bigint + 3600000 + (i::bigint * 6048 / 10) % (6 * 86400000::bigint) AS run_at) t`,
    [pendingFollowUps, now, Math.max(1, calls), locationIds]);
    for (const { indexdef } of indexes) await client.query(indexdef);
    await client.query('ANALYZE calls');
    await client.query('ANALYZE messages');
    await client.query('ANALYZE jobs');
    const { rows } = await client.query(`SELECT (SELECT COUNT(*) FROM calls) + (SELECT COUNT(*) FROM messages) AS history, (SELECT COUNT(*) FROM jobs WHERE status = 'pending') AS pending`);
    return rows[0];
  } finally {
    client.release();
    await pg.close();
  }
}

/**
 * Moves `count` of the follow-ups the run scheduled (not the seeded ones) due at `base + i * spacingMs`; returns a
 * map contact id → due time.
 */
export async function pullFollowUpsDuePostgres(database, { count, base, spacingMs = 10 }) {
  const pg = database.open({ max: 1 });
  try {
    const { rows } = await pg.pool.query(`
      SELECT j.id, c.contact_id AS "contactId" FROM jobs j JOIN calls c ON c.id = (j.payload::jsonb ->> 'callId')::bigint
      WHERE j.kind = 'followup' AND j.status = 'pending' AND j.dedupe_key NOT LIKE '%:future-%' LIMIT $1`, [count]);
    const dueAt = new Map();
    const ids = [];
    const runAts = [];
    rows.forEach((job, i) => { const at = base + i * spacingMs; ids.push(job.id); runAts.push(at); dueAt.set(job.contactId, at); });
    await pg.pool.query(`
      UPDATE jobs SET run_at = m.at FROM unnest($1::bigint[], $2::bigint[]) AS m(id, at) WHERE jobs.id = m.id`, [ids, runAts]);
    return dueAt;
  } finally {
    await pg.close();
  }
}
