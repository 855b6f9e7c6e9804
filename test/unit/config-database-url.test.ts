// DATABASE_URL in the configuration: PostgreSQL only when a postgres:// or postgresql:// URL is given, SQLite otherwise;
// a bad value is one clear line that never repeats the URL (it carries the password).
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const LIVE = {
  NODE_ENV: 'production', HIGHLEVEL_CLIENT_ID: 'app123-client', HIGHLEVEL_CLIENT_SECRET: 'secret', HIGHLEVEL_SHARED_SECRET: 'shared',
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('DATABASE_URL', () => {
  it('when it is not set, then the app keeps SQLite (the default file)', () => {
    const config = loadConfig(LIVE);
    expect(config.databaseUrl).toBeNull();
    expect(config.databasePath).toBe('./data/textback.sqlite');
  });

  it.each(['postgres://textback:pw@db.internal:5432/textback', 'postgresql://db.internal/textback?sslmode=verify-full', 'postgres://u@10.0.0.5/textback?sslmode=require', 'postgres://u@pgbouncer:6432/textback?pool_mode=transaction'])(
    'when it is %s, then that URL selects PostgreSQL', (url) => {
      expect(loadConfig({ ...LIVE, DATABASE_URL: url }).databaseUrl).toBe(url);
    });

  it('when it is blank, then it counts as unset', () => {
    expect(loadConfig({ ...LIVE, DATABASE_URL: '  ' }).databaseUrl).toBeNull();
  });

  it.each(['mysql://u:secret-pw@db/textback', './data/textback.sqlite', 'postgres://', 'postgres://u:secret-pw@db/textback?sslmode=sometimes', 'postgres://u:secret-pw@db/textback?pool_mode=statement'])(
    'when it is %s, then start-up stops with one line naming DATABASE_URL and not repeating the value', (url) => {
      const lines = problems({ ...LIVE, DATABASE_URL: url });
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^DATABASE_URL: must be a PostgreSQL URL/);
      expect(lines[0]).not.toContain('secret-pw');
    });

  it('when the sandbox would start with it, then start-up stops: the sandbox never uses PostgreSQL', () => {
    expect(problems({ DATABASE_URL: 'postgres://db.internal/textback' })).toEqual([expect.stringMatching(/^DATABASE_URL: sandbox mode never uses PostgreSQL/)]);
  });

  it('when BACKUP_DIR is set with it, then start-up stops pointing at pg_dump (scheduled backups copy SQLite files)', () => {
    expect(problems({ ...LIVE, DATABASE_URL: 'postgres://db.internal/textback', BACKUP_DIR: '/var/backups' }))
      .toEqual([expect.stringMatching(/^BACKUP_DIR: .*pg_dump/)]);
    expect(loadConfig({ ...LIVE, BACKUP_DIR: '/var/backups' }).backup).not.toBeNull();
  });
});
