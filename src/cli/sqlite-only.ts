// The CLI commands that work on the SQLite file itself (backup, restore) refuse when DATABASE_URL is set, naming
// PostgreSQL's own tools instead: they would copy or replace a file the app no longer uses.
import type { Config } from '../config.js';
import { CliError } from './context.js';

const POSTGRES_WAY = {
  backup: 'back PostgreSQL up with pg_dump, e.g. pg_dump --format=custom --file=textback.dump "$DATABASE_URL" (or use your provider\'s backups)',
  restore: 'restore a pg_dump archive with pg_restore, e.g. pg_restore --clean --if-exists --dbname="$DATABASE_URL" textback.dump, with every instance stopped',
} as const;

/** Throws a CliError explaining the PostgreSQL way when the configuration names PostgreSQL. */
export function requireSqlite(config: Pick<Config, 'databaseUrl'>, command: keyof typeof POSTGRES_WAY): void {
  if (!config.databaseUrl) return;
  throw new CliError(`${command} is for the SQLite database (DATABASE_PATH); DATABASE_URL is set, so the data is in PostgreSQL: ${POSTGRES_WAY[command]}`);
}
