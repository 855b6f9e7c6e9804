// The backlog scenario (20,000 queued inbound replies, then a missed call) with the app on PostgreSQL, in a throwaway
// database: time to the missed call's text, and how fast one instance's worker clears the rest.
import { runBacklog } from './backlog.js';
import { createThrowawayDatabase, postgresUnavailable } from '../support/postgres.js';

export async function runBacklogPostgres({ report, cpuProfileDir }) {
  const unavailable = await postgresUnavailable();
  if (unavailable) {
    report('postgres: skipped, no server at BENCH_DATABASE_URL, TEST_DATABASE_URL or 127.0.0.1:5432', unavailable);
    return;
  }
  const database = await createThrowawayDatabase('backlog');
  try {
    await runBacklog({ report, cpuProfileDir, postgres: database });
  } finally {
    await database.drop();
  }
}
