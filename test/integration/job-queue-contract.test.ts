// The job queue contract (test/contracts/job-queue-contract.ts) on the SQLite engine, each test on a fresh file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/db.js';
import { createJobQueue } from '../../src/store/job-queue.js';
import { describeJobQueueContract } from '../contracts/job-queue-contract.js';

describeJobQueueContract('SQLite', ({ priorityOf }) => {
  const dir = mkdtempSync(join(tmpdir(), 'textback-contract-'));
  const db = openDatabase(join(dir, 'jobs.sqlite'));
  return {
    queue: createJobQueue(db, { priorityOf }),
    close() { db.close(); rmSync(dir, { recursive: true, force: true }); },
  };
});
