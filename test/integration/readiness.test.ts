// /readyz asks the database through the storage's ping: ready while it answers, 503 once it cannot (or on shutdown).
import express from 'express';
import supertest from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/lib/clock.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { createSqliteStorage } from '../../src/store/sqlite-storage.js';
import { healthRoutes } from '../../src/http/health.js';

let db: Db | undefined;
afterEach(() => { if (db?.open) db.close(); });

function serve(shuttingDown = false) {
  db = openDatabase(':memory:');
  const storage = createSqliteStorage(db, null, { clock: createManualClock(0), appTwilioAccount: null, inboundEventKinds: [] });
  const app = express().use(healthRoutes({ ping: storage.health.ping, isShuttingDown: () => shuttingDown }));
  return { http: supertest(app), db };
}

describe('readiness', () => {
  it('when the database answers, then /readyz is ok', async () => {
    const { http } = serve();
    const res = await http.get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: 'ok' });
  });

  it('when the database is gone, then /readyz answers 503 and /healthz still 200', async () => {
    const { http, db: closing } = serve();
    closing.close();
    const res = await http.get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'unavailable', database: 'error' });
    expect((await http.get('/healthz')).status).toBe(200);
  });

  it('when the app is shutting down, then /readyz answers 503 before asking the database', async () => {
    const { http } = serve(true);
    const res = await http.get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'shutting-down' });
  });
});
