// How DATABASE_URL's TLS parameters become the PostgreSQL driver's settings (libpq's meaning of sslmode), and the
// app's own pool_mode parameter (a pooler in transaction mode).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectionConfig } from '../../src/store/postgres/pool.js';

describe('PostgreSQL connection settings from DATABASE_URL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'textback-pg-ca-'));
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, 'CA CERTIFICATE');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when the URL says nothing about TLS, then the connection is in clear and the URL is passed on unchanged', () => {
    expect(connectionConfig('postgres://app:secret@db.internal:5432/textback')).toEqual({ connectionString: 'postgres://app:secret@db.internal:5432/textback', ssl: false, poolMode: 'session' });
  });

  it('when sslmode=require, then TLS is used without checking the certificate, and the parameter is not passed on', () => {
    const config = connectionConfig('postgresql://app@db.example.com/textback?sslmode=require&connect_timeout=5');
    expect(config.ssl).toEqual({ rejectUnauthorized: false });
    expect(config.connectionString).toBe('postgresql://app@db.example.com/textback?connect_timeout=5');
  });

  it('when sslmode=verify-full or ssl=true, then the certificate and the host name are checked', () => {
    expect(connectionConfig('postgres://db.example.com/textback?sslmode=verify-full').ssl).toEqual({});
    expect(connectionConfig('postgres://db.example.com/textback?ssl=true').ssl).toEqual({});
    expect(connectionConfig(`postgres://db.example.com/textback?sslmode=verify-full&sslrootcert=${caFile}`).ssl).toEqual({ ca: 'CA CERTIFICATE' });
  });

  it('when sslmode=verify-ca or require names a CA, then the chain is checked against it but not the host name', () => {
    for (const mode of ['verify-ca', 'require']) {
      const ssl = connectionConfig(`postgres://10.0.0.5/textback?sslmode=${mode}&sslrootcert=${caFile}`).ssl;
      expect(ssl).toMatchObject({ ca: 'CA CERTIFICATE' });
      expect(ssl && ssl.checkServerIdentity?.('db', {} as never)).toBeUndefined();
      expect(ssl && ssl.rejectUnauthorized).toBeUndefined();
    }
  });

  it('when sslmode is disable, or unknown, or the URL is not a postgres one, then it is in clear, or refused', () => {
    expect(connectionConfig('postgres://db/textback?sslmode=disable').ssl).toBe(false);
    expect(() => connectionConfig('postgres://db/textback?sslmode=sometimes')).toThrow(/sslmode/);
    expect(() => connectionConfig('mysql://db/textback')).toThrow(/postgres/);
  });

  it('when pool_mode=transaction (PgBouncer in transaction mode), then it is noted and not passed on; an unknown mode is refused', () => {
    expect(connectionConfig('postgres://pgbouncer:6432/textback?pool_mode=transaction&sslmode=require')).toEqual({
      connectionString: 'postgres://pgbouncer:6432/textback', ssl: { rejectUnauthorized: false }, poolMode: 'transaction',
    });
    expect(connectionConfig('postgres://db/textback?pool_mode=session').poolMode).toBe('session');
    expect(() => connectionConfig('postgres://db/textback?pool_mode=statement')).toThrow(/pool_mode/);
  });
});
