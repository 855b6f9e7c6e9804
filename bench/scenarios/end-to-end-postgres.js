// End to end on PostgreSQL: the end-to-end scenario (200 missed calls/s over 1,000 locations, 1M pending follow-ups,
// then follow-ups pulled due) with the app on DATABASE_URL in a throwaway database. History is 200k calls + 200k
// messages instead of SQLite's 500k + 500k: seeding PostgreSQL is slower, and the run's statements read history by
// index only, so its size hardly matters (20k and 1M rows measured alike).
// BENCH_PG_INSTANCES=<n> runs n app processes on it, the calls spread round-robin (default 1).
import { runEndToEnd } from './end-to-end.js';
import { onThrowawayDatabase } from '../support/postgres.js';

export function runEndToEndPostgres({ report, cpuProfileDir, instances = Number(process.env.BENCH_PG_INSTANCES ?? 1), ...sizes }) {
  return onThrowawayDatabase(report, 'e2e', (database) =>
    runEndToEnd({ report, cpuProfileDir, postgres: database, instances, historyCalls: 200_000, ...sizes }));
}
