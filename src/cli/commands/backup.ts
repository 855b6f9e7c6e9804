// `backup <file>`: copies the live database with SQLite's online backup (the app may keep running), makes the copy
// self-contained, checks it with PRAGMA integrity_check, fsyncs it, and only then gives it its name (readable by the
// owner only): the same routine as the scheduled backups (store/backup.ts writeBackup). SQLite only: with DATABASE_URL
// set it refuses and names pg_dump.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeBackup } from '../../store/backup.js';
import { CliError, EXIT, UsageError, parseOptions, withDatabase, type CliCommand } from '../context.js';
import { requireSqlite } from '../sqlite-only.js';

export const command: CliCommand = {
  usage: 'backup <file>',
  async run(args, ctx) {
    const { positionals } = parseOptions(args, {}, [], 1);
    if (positionals.length !== 1) throw new UsageError('the backup file to write is required');
    requireSqlite(ctx.loadConfig(), 'backup');
    const target = resolve(positionals[0]);
    if (existsSync(target)) throw new CliError(`${target} exists already; choose a new file name`);
    return withDatabase(ctx, async (db, config) => {
      if (target === resolve(config.databasePath)) throw new CliError('the backup file cannot be the database itself');
      const { bytes, schemaVersion } = await writeBackup(db, target);
      ctx.out(`backup written to ${target} (${bytes} bytes, schema version ${schemaVersion}); integrity_check: ok`);
      return EXIT.ok;
    });
  },
};
