// Vitest global setup for `npm test`: when TEST_DATABASE_URL names a server, the same migrated template database as
// the PostgreSQL run's (postgres-template.ts), so the PostgreSQL store and several-instance suites copy it instead of
// migrating a database each; without a server, nothing (those suites skip).
import setupTemplate from './postgres-template.js';

export default async function setup(): Promise<() => Promise<void>> {
  if (!process.env.TEST_DATABASE_URL) return async () => {};
  return setupTemplate();
}
