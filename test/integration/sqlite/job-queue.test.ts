// The SQLite job queue's own details on a file of its own: the query plans its claims rely on (the engine-neutral
// queue and worker tests are test/integration/job-queue.test.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/store/db.js';

let dir: string;
let db: Db;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'textback-jobs-'));
  db = openDatabase(join(dir, 'jobs.sqlite'));
});
afterEach(() => { db.close(); rmSync(dir, { recursive: true, force: true }); });

describe('SQLite job queue', () => {
  it('when due jobs are looked up, then SQLite uses the partial index on due time (built for 1M pending rows)', () => {
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM jobs WHERE status = 'pending' AND run_at <= 1 ORDER BY run_at LIMIT 10`).all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('jobs_due');
  });
});
