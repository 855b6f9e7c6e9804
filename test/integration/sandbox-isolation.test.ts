// Sandbox mode keeps its own database file, never the production default, and its public shared secret opens no
// session on a database holding installs the sandbox did not make.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { encryptUserContext } from '../../src/highlevel/sso.js';
import { openDatabase } from '../../src/store/db.js';
import { createLocationStore } from '../../src/store/locations.js';
import { defaultSettings } from '../../src/workflow/settings.js';
import { DEMO } from '../../src/sandbox/demo-world.js';
import { startSandboxServer, type SandboxServer } from '../../src/sandbox/server.js';
import { startSandboxesBesideDatabaseUrl } from '../helpers/untouched-database-url.js';

// On PostgreSQL, DATABASE_URL names an empty database the sandbox must leave untouched.
startSandboxesBesideDatabaseUrl();

const TUESDAY_11AM_NY = Date.UTC(2026, 0, 6, 16, 0, 0);
const REAL_LOCATION = 'Xq3RealLocation00042';
const dirs: string[] = [];
const servers: SandboxServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(dataDir: string): Promise<SandboxServer> {
  const server = await startSandboxServer({ port: 0, dataDir, clockStartAt: TUESDAY_11AM_NY });
  servers.push(server);
  return server;
}

/** What anyone can forge in sandbox mode: the shared secret is public (config.ts). */
function forgedContext(activeLocation: string): string {
  const secret = loadConfig({ NODE_ENV: 'development' }).highLevel.sharedSecret;
  return encryptUserContext({ userId: 'u-1', companyId: 'c-1', role: 'admin', type: 'agency', activeLocation }, secret);
}

async function openSession(server: SandboxServer, payload: string) {
  const res = await fetch(`${server.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ payload }) });
  return { status: res.status, body: await res.json() as { error?: string; token?: string } };
}

describe('the sandbox database file', () => {
  it('when sandbox mode starts without DATABASE_PATH, then it uses its own file, not the production default', () => {
    const config = loadConfig({ NODE_ENV: 'development' });
    expect(config.mode).toBe('sandbox');
    expect(resolve(config.databasePath)).not.toBe(resolve('./data/textback.sqlite'));
    expect(config.databasePath).toBe('./data/sandbox.sqlite');
    expect(loadConfig({ NODE_ENV: 'production', HIGHLEVEL_CLIENT_ID: 'a-b', HIGHLEVEL_CLIENT_SECRET: 's', HIGHLEVEL_SHARED_SECRET: 's', ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') })
      .databasePath).toBe('./data/textback.sqlite');
  });

  it('when sandbox mode is pointed at the production default file, then start-up refuses, naming DATABASE_PATH', () => {
    expect(() => loadConfig({ NODE_ENV: 'development', DATABASE_PATH: './data/textback.sqlite' })).toThrow(/DATABASE_PATH: sandbox mode never uses the production database/);
  });
});

describe('sessions in sandbox mode', () => {
  it('when the sandbox runs on its own database, then its page opens a session for the demo sub-account', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'textback-sbx-iso-'));
    dirs.push(dir);
    const server = await start(dir);
    const { payload } = await (await fetch(`${server.url}/sandbox/api/user-context`)).json() as { payload: string };
    expect((await openSession(server, payload)).status).toBe(200);
  });

  it('when the database holds a real install, then the public shared secret opens no session, for it or for the demo', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'textback-sbx-iso-'));
    dirs.push(dir);
    const db = openDatabase(join(dir, 'textback.sqlite'));
    createLocationStore(db).install({ locationId: REAL_LOCATION, companyId: 'RealAgency0000000042', settings: defaultSettings() }, TUESDAY_11AM_NY);
    db.close();

    const server = await start(dir);
    const real = await openSession(server, forgedContext(REAL_LOCATION));
    expect(real.status).toBe(403);
    expect(real.body.error).toBe('sessions_refused');
    expect(real.body.token).toBeUndefined();
    expect((await openSession(server, forgedContext(DEMO.locationId))).status).toBe(403);
  });
});
