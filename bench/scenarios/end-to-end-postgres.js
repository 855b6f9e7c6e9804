// End to end on PostgreSQL: the end-to-end scenario (200 missed calls/s over 1,000 locations, 1M pending follow-ups,
// then follow-ups pulled due) with the app on DATABASE_URL in a throwaway database. History is 200k calls + 200k
// messages instead of SQLite's 500k + 500k: seeding PostgreSQL is slower, and the run's statements read history by
// index only, so its size hardly matters (20k and 1M rows measured alike).
// BENCH_PG_INSTANCES=<n> runs n app processes on it, the calls spread round-robin (default 1).
import { runEndToEnd } from './end-to-end.js';
import { createThrowawayDatabase, postgresUnavailable } from '../support/postgres.js';

export async function runEndToEndPostgres({ report, cpuProfileDir, instances = Number(process.env.BENCH_PG_INSTANCES ?? 1), ...sizes }) {
  const unavailable = await postgresUnavailable();
  if (unavailable) {
    report('postgres: skipped, no server at BENCH_DATABASE_URL, TEST_DATABASE_URL or 127.0.0.1:5432', unavailable);
    return;
  }
  const database = await createThrowawayDatabase('e2e');
  try {
    await runEndToEnd({ report, cpuProfileDir, postgres: database, instances, historyCalls: 200_000, ...sizes });
  } finally {
    await database.drop();
  }
}
