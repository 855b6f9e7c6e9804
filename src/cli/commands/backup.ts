// `backup <file>`: copies the live database with SQLite's online backup (the app may keep running), makes the copy
// self-contained, checks it with PRAGMA integrity_check, and only then gives it its name (readable by the owner only).
import Database from 'better-sqlite3';
import { chmodSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { verifyBackup } from '../../store/backup.js';
import { CliError, EXIT, UsageError, parseOptions, withDatabase, type CliCommand } from '../context.js';

export const command: CliCommand = {
  usage: 'backup <file>',
  async run(args, ctx) {
    const { positionals } = parseOptions(args, {}, [], 1);
    if (positionals.length !== 1) throw new UsageError('the backup file to write is required');
    const target = resolve(positionals[0]);
    if (existsSync(target)) throw new CliError(`${target} exists already; choose a new file name`);
    return withDatabase(ctx, async (db, config) => {
      if (target === resolve(config.databasePath)) throw new CliError('the backup file cannot be the database itself');
      const partial = `${target}.partial`;
      try {
        await db.backup(partial);
        const copy = new Database(partial, { fileMustExist: true });
        try {
          // The live database is in WAL mode; the copy must stand alone as one file.
          copy.pragma('journal_mode = DELETE');
        } finally {
          copy.close();
        }
        chmodSync(partial, 0o600);
        const { schemaVersion } = verifyBackup(partial);
        renameSync(partial, target);
        ctx.out(`backup written to ${target} (${statSync(target).size} bytes, schema version ${schemaVersion}); integrity_check: ok`);
        return EXIT.ok;
      } catch (error) {
        for (const leftover of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`]) rmSync(leftover, { force: true });
        throw error;
      }
    });
  },
};
