// The stores of the engine under test (TEST_ENGINE), for integration tests that build their own objects over the stores
// instead of composing the app: a new SQLite file, or a PostgreSQL database of their own (a copy of the migrated
// template); `another()` is a second instance on the same database; `close()` closes everything and deletes the data.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../src/lib/clock.js';
import type { SecretBox } from '../../src/store/tokens.js';
import { inboundEventKinds, priorityOf } from '../../src/jobs/registry.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { openPostgresStorage, type OpenedPostgresStorage } from '../../src/store/postgres/postgres-storage.js';
import { createSqliteStorage } from '../../src/store/sqlite-storage.js';
import type { Storage } from '../../src/store/storage.js';
import { engineSql, type EngineSql } from './engine-sql.js';
import { engine } from './harness.js';
import { createTestDatabase } from './postgres.js';

export interface StoresUnderTest {
  engine: 'sqlite' | 'postgres';
  /** The engine-neutral stores (every answer may be a promise: await them). */
  storage: Storage;
  /** SQL of the test's own on the same database (`?` placeholders). */
  sql: EngineSql;
  /** SQLite only: the database file (its WAL is `${file}-wal`); null on PostgreSQL. */
  sqliteFile: string | null;
  /**
   * Another instance's stores on the same database: a connection of its own on SQLite, a pool of its own on
   * PostgreSQL. Closed by `close()`.
   */
  another(): Promise<Storage>;
  /** Closes every connection or pool opened here, then deletes the SQLite directory or drops the database. */
  close(): Promise<void>;
}

export async function openStoresUnderTest(options: { box: SecretBox; clock: Clock }): Promise<StoresUnderTest> {
  const storageOptions = { clock: options.clock, appTwilioAccount: null, inboundEventKinds, priorityOf };
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'textback-stores-'));
    const file = join(dir, 'textback.sqlite');
    const dbs: Db[] = [];
    const open = () => {
      const db = openDatabase(file);
      dbs.push(db);
      return db;
    };
    const db = open();
    return {
      engine,
      storage: createSqliteStorage(db, options.box, storageOptions),
      sql: engineSql({ sqlite: db }),
      sqliteFile: file,
      async another() { return createSqliteStorage(open(), options.box, storageOptions); },
      async close() {
        for (const opened of dbs) opened.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const template = process.env.TEXTBACK_POSTGRES_TEMPLATE;
  const database = await createTestDatabase(template ? { template } : { migrate: true });
  const opened: OpenedPostgresStorage[] = [];
  const open = async () => {
    // No LISTEN connection: these tests run no worker.
    const storage = await openPostgresStorage(database.url, options.box, { ...storageOptions, pool: { max: 4 }, listen: false });
    opened.push(storage);
    return storage.storage;
  };
  try {
    const storage = await open();
    return {
      engine,
      storage,
      sql: engineSql({ postgres: database.open({ max: 2 }) }),
      sqliteFile: null,
      another: open,
      async close() {
        try {
          await Promise.all(opened.map((storage) => storage.close()));
        } finally {
          await database.drop();
        }
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}
