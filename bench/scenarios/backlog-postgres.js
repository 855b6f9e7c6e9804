// The backlog scenario (20,000 queued inbound replies, then a missed call) with the app on PostgreSQL, in a throwaway
// database: time to the missed call's text, and how fast one instance's worker clears the rest.
import { runBacklog } from './backlog.js';
import { onThrowawayDatabase } from '../support/postgres.js';

export function runBacklogPostgres({ report, cpuProfileDir }) {
  return onThrowawayDatabase(report, 'backlog', (database) => runBacklog({ report, cpuProfileDir, postgres: database }));
}
