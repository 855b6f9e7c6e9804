// A world for end-to-end benchmarks: the local HighLevel stand-in (this process), installed locations with real
// stand-in tokens sealed into a fresh app database through the app's own stores (SQLite, or PostgreSQL's through
// world-postgres.js), and optional bulk history via SQL.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, freePort, productionEnv, startApp } from './children.js';
import { createWebhookKeys } from './webhooks.js';

const { createStandIn } = await import(join(DIST, 'sandbox', 'standin', 'index.js'));
const { openDatabase } = await import(join(DIST, 'store', 'db.js'));
const { createLocationStore } = await import(join(DIST, 'store', 'locations.js'));
const { createTokenStore } = await import(join(DIST, 'store', 'tokens.js'));
const { createSecretBox } = await import(join(DIST, 'lib', 'crypto.js'));
const { defaultSettings, mergeSettings } = await import(join(DIST, 'workflow', 'settings.js'));

export const CLIENT_ID = 'benchapp-client';
export const CLIENT_SECRET = 'bench-client-secret';

/**
 * A fixed-offset zone where it is mid-afternoon now, so quiet hours never hold a text during the run.
 * Callers get non-NANP numbers (below), whose send window is the default one in the location's zone.
 */
export function afternoonZone(now = Date.now()) {
  const utcHour = new Date(now).getUTCHours();
  for (const target of [15, 14, 16, 13, 17]) {
    let offset = target - utcHour;
    if (offset > 14) offset -= 24;
    if (offset < -12) offset += 24;
    if (offset >= -12 && offset <= 14) return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
  }
  return 'Etc/GMT';
}

/** Valid, textable UK mobile numbers; `series` keeps callers and history apart. */
export function callerNumber(index, series = '7400') {
  return `+44${series}${String(index).padStart(6, '0')}`;
}

/**
 * Starts the stand-in (rate limit as HighLevel's unless `rateLimit` says otherwise), creates `locations` locations,
 * gets each a Location token through the stand-in's OAuth endpoint, and installs them in a new app database: a SQLite
 * file in the world's dir, or with `postgres` (a throwaway database from support/postgres.js) that database.
 */
export async function createWorld({ locations, settingsPatch = {}, rateLimit, faults, postgres }) {
  const dir = mkdtempSync(join(tmpdir(), 'textback-bench-world-'));
  const databasePath = join(dir, 'textback.sqlite');
  const encryptionKey = randomBytes(32).toString('base64');
  const clock = { now: () => Date.now() };
  const standIn = createStandIn({ clock, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, ...(rateLimit !== undefined ? { rateLimit } : {}), ...(faults ? { faults } : {}) });
  const server = await standIn.listen(0);
  const zone = afternoonZone();
  const { id: companyId } = standIn.createCompany({ name: 'Bench Agency' });
  const ids = [];
  for (let i = 0; i < locations; i += 1) {
    const number = `+1512${String(2_000_000 + i).padStart(7, '0')}`;
    ids.push(standIn.createLocation({ companyId, name: `Bench Location ${i}`, timezone: zone, numbers: [number] }).id);
  }

  const grants = await mapLimit(ids, 32, async (locationId) => {
    const code = standIn.issueAuthCode({ userType: 'Location', companyId, locationId });
    const res = await fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, grant_type: 'authorization_code', code, user_type: 'Location' }),
    });
    if (!res.ok) throw new Error(`stand-in token exchange failed: ${res.status}`);
    return { locationId, token: await res.json() };
  });

  const settings = mergeSettings(defaultSettings(), { timeZone: zone, ...settingsPatch });
  const numberOf = (i) => `+1512${String(2_000_000 + i).padStart(7, '0')}`;
  const world = { dir, databasePath, encryptionKey, standIn, url: server.url, locationIds: ids, companyId, zone, close: server.close, postgres };
  if (postgres) {
    // `postgres`: a throwaway database (support/postgres.js) the app will run on; installed through its stores.
    const { installOnPostgres } = await import('./world-postgres.js');
    await installOnPostgres(postgres, { grants, companyId, settings, zone, box: createSecretBox(encryptionKey), numberOf, now: Date.now() });
    return world;
  }
  const db = openDatabase(databasePath);
  const store = createLocationStore(db);
  const tokens = createTokenStore(db, createSecretBox(encryptionKey));
  const now = Date.now();
  db.transaction(() => {
    for (const [i, { locationId, token }] of grants.entries()) {
      const number = numberOf(i);
      store.install({ locationId, companyId, settings }, now);
      store.saveProfile(locationId, { name: `Bench Location ${i}`, timeZone: zone, phone: number, numbers: [number] }, now);
      tokens.save({ ownerId: locationId, ownerType: 'Location', companyId, accessToken: token.access_token, refreshToken: token.refresh_token, expiresAt: now + token.expires_in * 1000, scope: token.scope, userId: token.userId }, now);
    }
  })();
  db.close();
  return world;
}

/**
 * Bulk history straight in SQL: `calls` past missed calls (each texted back, so also one messages row) spread over
 * the locations and the last 90 days, and `pendingFollowUps` follow-up jobs due between 1 hour and 7 days from now.
 */
export function seedHistory(databasePath, locationIds, { calls, pendingFollowUps }) {
  const db = openDatabase(databasePath);
  db.pragma('synchronous = OFF');
  const now = Date.now();
  db.exec(`CREATE TEMP TABLE bench_locations (n INTEGER PRIMARY KEY, id TEXT NOT NULL)`);
  const add = db.prepare('INSERT INTO bench_locations (n, id) VALUES (?, ?)');
  db.transaction(() => locationIds.forEach((id, n) => add.run(n, id)))();
  const count = locationIds.length;
  // Bulk load without the secondary indexes, then rebuild them from their own definitions (several times faster).
  const indexes = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('calls', 'messages', 'jobs')`).all();
  for (const { name } of indexes) db.exec(`DROP INDEX ${name}`);
  db.transaction(() => {
    db.prepare(`
      WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < @calls)
      INSERT INTO calls (location_id, call_key, contact_id, phone, status, missed, occurred_at, decision, decision_at, followup, followup_at)
      SELECT l.id, 'hist-' || i, 'hist-contact-' || i, '+447777' || printf('%06d', i % 1000000), 'no-answer', 1,
        @now - 90 * 86400000 + (i * 7776) % (90 * 86400000), 'texted', @now - 90 * 86400000 + (i * 7776) % (90 * 86400000),
        'sent', @now - 89 * 86400000 + (i * 7776) % (89 * 86400000)
      FROM seq JOIN bench_locations l ON l.n = i % @count`).run({ calls, now, count });
    db.prepare(`
      INSERT INTO messages (location_id, send_key, kind, call_id, contact_id, phone, body, status, provider, provider_message_id, segments, created_at, sent_at, updated_at)
      SELECT location_id, 'textback:' || location_id || ':' || call_key, 'textback', id, contact_id, phone,
        'Sorry we missed your call. How can we help?', 'delivered', 'highlevel', 'hist-msg-' || id, 1, occurred_at + 5000, occurred_at + 5000, occurred_at + 8000
      FROM calls WHERE call_key LIKE 'hist-%'`).run();
    db.prepare(`
      WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < @jobs)
      INSERT INTO jobs (kind, location_id, subject, dedupe_key, payload, status, run_at, max_attempts, created_at)
      SELECT 'followup', l.id, '+447777' || printf('%06d', i % 1000000), 'followup:' || l.id || ':future-' || i,
        '{"callId":' || (1 + i % @calls) || ',"textBackSentAt":' || @now || '}', 'pending',
        @now + 3600000 + (i * 604.8) % (6 * 86400000), 8, @now
      FROM seq JOIN bench_locations l ON l.n = i % @count`).run({ jobs: pendingFollowUps, calls: Math.max(1, calls), now, count });
  })();
  for (const { sql } of indexes) db.exec(sql);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const rows = db.prepare(`SELECT (SELECT COUNT(*) FROM calls) + (SELECT COUNT(*) FROM messages) AS history, (SELECT COUNT(*) FROM jobs WHERE status = 'pending') AS pending`).get();
  db.close();
  return rows;
}

async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  }));
  return results;
}

/**
 * Starts the built app as a production child process against this world's stand-in, with fresh webhook keys (on the
 * world's PostgreSQL database when it has one). `keys` reuses the keys of an instance already started.
 */
export async function startAppForWorld(world, { cpuProfileDir, keys = createWebhookKeys() } = {}) {
  const port = await freePort();
  const app = await startApp({
    cwd: world.dir,
    cpuProfileDir,
    env: productionEnv({ port, databasePath: world.databasePath, databaseUrl: world.postgres?.url, webhookKeyPem: keys.publicKeyPem, encryptionKey: world.encryptionKey, apiUrl: world.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }),
  });
  return { app, keys };
}
