// `migrate-to-postgres --to <postgres-url>`: copies the configured SQLite database (DATABASE_PATH) into an empty
// PostgreSQL database, for moving an installation to several instances. The app must be stopped (the copy refuses
// while the file is in use); the target is migrated first, then filled in one transaction, verified by row counts.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { openDatabase } from '../../store/db.js';
import { openPostgres } from '../../store/postgres/pool.js';
import { CopyRefusedError, assertSqliteIdle, copySqliteToPostgres } from '../../store/postgres/copy-from-sqlite.js';
import { CliError, EXIT, UsageError, parseOptions, type CliCommand } from '../context.js';

/** The URL without its password, for messages. */
function shown(url: URL): string {
  const copy = new URL(url);
  if (copy.password) copy.password = '***';
  return copy.toString();
}

export const command: CliCommand = {
  usage: 'migrate-to-postgres --to <postgres-url>',
  async run(args, ctx) {
    const { values } = parseOptions(args, { to: { type: 'string' } }, ['to']);
    const to = values.to!.trim();
    if (!/^postgres(ql)?:\/\//i.test(to) || !URL.canParse(to)) throw new UsageError('--to must be a PostgreSQL URL (postgres://user:password@host:5432/database)');
    const config = ctx.loadConfig();
    const source = resolve(config.databasePath);
    if (!existsSync(source)) throw new CliError(`no SQLite database at ${source} (DATABASE_PATH)`);

    const target = shown(new URL(to));
    const pg = openPostgres(to, { max: 1, applicationName: 'textback-migrate-to-postgres' });
    let sqlite: ReturnType<typeof openDatabase> | undefined;
    try {
      assertSqliteIdle(source);
      sqlite = openDatabase(source);
      ctx.err(`copying ${source} into ${target}`);
      const report = await copySqliteToPostgres(sqlite, pg, { onTable: (table, rows) => ctx.err(`  ${table}: ${rows} row${rows === 1 ? '' : 's'}`) });
      const width = Math.max(...report.tables.map((t) => t.table.length), 'table'.length);
      ctx.out(`${'table'.padEnd(width)}  ${'sqlite'.padStart(10)}  ${'postgres'.padStart(10)}`);
      for (const t of report.tables) ctx.out(`${t.table.padEnd(width)}  ${String(t.sqliteRows).padStart(10)}  ${String(t.postgresRows).padStart(10)}`);
      const total = report.tables.reduce((sum, t) => sum + t.postgresRows, 0);
      ctx.out(`copied ${total} rows in ${report.tables.length} tables into ${target}; every table's row count matches (schema version ${report.sqliteVersion} on SQLite, ${report.postgresVersion} on PostgreSQL)`);
      if (report.absentAndEmpty.length > 0) ctx.out(`empty, not in this build's PostgreSQL schema: ${report.absentAndEmpty.join(', ')}`);
      ctx.out(`ids continue after the copied ones (${report.sequences.map((s) => `${s.table}.${s.column} next ${s.next}`).join(', ')})`);
      ctx.err(`sealed tokens were copied as they are: start the app with the same ENCRYPTION_KEY and DATABASE_URL set to this database; ${source} is left as it was`);
      return EXIT.ok;
    } catch (error) {
      throw error instanceof CopyRefusedError ? new CliError(error.message) : error;
    } finally {
      sqlite?.close();
      await pg.close();
    }
  },
};
