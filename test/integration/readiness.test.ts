// /readyz asks the database through the storage's ping: ready while it answers, 503 once it cannot (or on shutdown).
// On SQLite the storage is an in-memory database; on PostgreSQL (TEST_ENGINE=postgres) a test database of its own.
import express from 'express';
import supertest from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/lib/clock.js';
import { openDatabase } from '../../src/store/db.js';
import { openPostgresStorage } from '../../src/store/postgres/postgres-storage.js';
import { createSqliteStorage } from '../../src/store/sqlite-storage.js';
import type { Storage } from '../../src/store/storage.js';
import { healthRoutes } from '../../src/http/health.js';
import { engine } from '../helpers/harness.js';
import { createTestDatabase } from '../helpers/postgres.js';

/** What each test leaves open: closed (and the PostgreSQL database dropped) after it. */
let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

const options = { clock: createManualClock(0), appTwilioAccount: null, inboundEventKinds: [] };

/** The engine's storage and a way to take its database away as an outage would. */
async function openStorage(): Promise<{ storage: Storage; loseDatabase(): Promise<void> }> {
  if (engine === 'sqlite') {
    const db = openDatabase(':memory:');
    cleanups.push(() => { if (db.open) db.close(); });
    return { storage: createSqliteStorage(db, null, options), loseDatabase: async () => { db.close(); } };
  }
  const database = await createTestDatabase({ template: process.env.TEXTBACK_POSTGRES_TEMPLATE });
  cleanups.push(() => database.drop());
  const opened = await openPostgresStorage(database.url, null, { ...options, pool: { max: 2, connectTimeoutMs: 2_000 } });
  cleanups.push(() => opened.close());
  // The database dropped under the running app (its connections terminated): every new connection is refused.
  return { storage: opened.storage, loseDatabase: () => database.drop() };
}

async function serve(shuttingDown = false) {
  const { storage, loseDatabase } = await openStorage();
  const app = express().use(healthRoutes({ ping: storage.health.ping, isShuttingDown: () => shuttingDown }));
  return { http: supertest(app), loseDatabase };
}

describe('readiness', () => {
  it('when the database answers, then /readyz is ok', async () => {
    const { http } = await serve();
    const res = await http.get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: 'ok' });
  });

  it('when the database is gone, then /readyz answers 503 and /healthz still 200', async () => {
    const { http, loseDatabase } = await serve();
    expect((await http.get('/readyz')).status).toBe(200);
    await loseDatabase();
    const res = await http.get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'unavailable', database: 'error' });
    expect((await http.get('/healthz')).status).toBe(200);
  });

  it('when the app is shutting down, then /readyz answers 503 before asking the database', async () => {
    const { http } = await serve(true);
    const res = await http.get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'shutting-down' });
  });
});
