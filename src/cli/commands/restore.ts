// `restore <backup-file>`: brings a backup back as the database, for an app that is stopped. Checks the backup
// (integrity_check, schema not newer than this build), refuses while the database is open anywhere, keeps the
// replaced database as `<db>.before-restore-<time>`, and puts the copy in place by an atomic rename. SQLite only: with
// DATABASE_URL set it refuses and names pg_restore.
import { resolve } from 'node:path';
import { BackupError, restoreBackup } from '../../store/backup.js';
import { CliError, EXIT, UsageError, parseOptions, type CliCommand } from '../context.js';
import { requireSqlite } from '../sqlite-only.js';

export const command: CliCommand = {
  usage: 'restore <backup-file>',
  async run(args, ctx) {
    const { positionals } = parseOptions(args, {}, [], 1);
    if (positionals.length !== 1) throw new UsageError('the backup file to restore is required');
    // Not withDatabase(): opening the database here would make it look in use (and migrate what is about to go).
    const config = ctx.loadConfig();
    requireSqlite(config, 'restore');
    try {
      const result = restoreBackup({ backupFile: resolve(positionals[0]), databasePath: config.databasePath, now: ctx.clock.now() });
      ctx.out(`restored ${result.restoredFrom} as ${result.databasePath} (integrity_check: ok)`);
      ctx.out(result.previousKeptAs ? `the database it replaced is kept as ${result.previousKeptAs}` : 'there was no database to replace');
      ctx.err('start the app again; it serves from the restored database');
      return EXIT.ok;
    } catch (error) {
      throw error instanceof BackupError ? new CliError(error.message) : error;
    }
  },
};
