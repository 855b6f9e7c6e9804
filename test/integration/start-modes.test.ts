// `npm start` as a black box (the built dist/src/main.js): production refuses to start without credentials and names
// each missing variable; without credentials and outside production it serves the sandbox; with them it serves on the
// engine's database. With TEST_ENGINE=postgres every start names an empty PostgreSQL database of its own in DATABASE_URL
// (the app migrates it on start), as a PostgreSQL deployment does.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateKey } from '../../src/lib/crypto.js';
import { engine } from '../helpers/harness.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';

const ROOT = resolve(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'dist/src/main.js');
let cwd: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  // Type errors elsewhere in the tree do not stop tsc from emitting; what matters is a current main.js.
  spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
  if (!existsSync(MAIN)) throw new Error(`build produced no ${MAIN}`);
  // A directory without a .env file, so only the environment given here configures the app.
  cwd = mkdtempSync(join(tmpdir(), 'textback-start-'));
}, 180_000);

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(cwd, { recursive: true, force: true });
});

const databases: TestDatabase[] = [];
afterEach(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const database of databases.splice(0)) await database.drop();
});

/** On PostgreSQL, DATABASE_URL naming a new empty database (and that database, to look into); nothing on SQLite. */
async function engineDatabase(): Promise<{ env: Record<string, string>; database: TestDatabase | null }> {
  if (engine === 'sqlite') return { env: {}, database: null };
  const database = await createTestDatabase();
  databases.push(database);
  return { env: { DATABASE_URL: database.url }, database };
}

/** The tables a PostgreSQL database holds: none until the app migrated it. */
async function tablesOf(database: TestDatabase): Promise<string[]> {
  const pg = database.open({ max: 1 });
  try {
    const { rows } = await pg.pool.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
    return rows.map((row) => row.name);
  } finally {
    await pg.close();
  }
}

function run(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [MAIN], { cwd, env: { PATH: process.env.PATH ?? '', ...env } });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); fail(new Error(`main.js did not exit:\n${stdout}\n${stderr}`)); }, 20_000);
    child.on('exit', (code) => { clearTimeout(timer); done({ code, stdout, stderr }); });
  });
}

const CREDENTIALS = {
  HIGHLEVEL_CLIENT_ID: 'app123-client', HIGHLEVEL_CLIENT_SECRET: 'client-secret', HIGHLEVEL_SHARED_SECRET: 'shared-secret',
};

/** Starts main.js and waits for its "serving" line; `exited` settles with its exit code. */
function serve(env: Record<string, string>) {
  const child = spawn(process.execPath, [MAIN], { cwd, env: { PATH: process.env.PATH ?? '', PORT: '0', ...env } });
  children.push(child);
  let stdout = '';
  const serving = new Promise<{ port: number; mode: string }>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`not serving after 20 s:\n${stdout}`)), 20_000);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const line = stdout.split('\n').find((l) => l.includes('TextBack is serving'));
      if (line) { clearTimeout(timer); done(JSON.parse(line)); }
    });
    child.on('exit', (code) => fail(new Error(`exited with ${code}:\n${stdout}`)));
  });
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, serving, exited };
}

describe('npm start', () => {
  it('when NODE_ENV=production and no credentials are set, then it exits non-zero naming each missing variable', async () => {
    const { env, database } = await engineDatabase();
    const result = await run({ NODE_ENV: 'production', PORT: '0', ...env });

    expect(result.code).not.toBe(0);
    const lines = result.stderr.trim().split('\n');
    for (const name of ['HIGHLEVEL_CLIENT_ID', 'HIGHLEVEL_CLIENT_SECRET', 'HIGHLEVEL_SHARED_SECRET', 'ENCRYPTION_KEY']) {
      expect(lines.filter((line) => line.startsWith(`config error: ${name}:`)), result.stderr).toHaveLength(1);
    }
    expect(lines).toHaveLength(4);
    expect(result.stdout).not.toMatch(/serving/);
    expect(readdirSync(cwd)).toEqual([]);
    if (database) expect(await tablesOf(database)).toEqual([]);
  });

  it('when NODE_ENV=production and only the encryption key is missing, then that is the one line', async () => {
    const { env, database } = await engineDatabase();
    const result = await run({ NODE_ENV: 'production', PORT: '0', ...CREDENTIALS, ...env });

    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^config error: ENCRYPTION_KEY: required/)]);
    if (database) expect(await tablesOf(database)).toEqual([]);
  });

  it('when no credentials are set outside production, then it serves the sandbox (on its own file, never DATABASE_URL\'s) until SIGTERM', async () => {
    const dataDir = join(cwd, 'sandbox-data');
    const { env, database } = await engineDatabase();
    if (database) {
      // A PostgreSQL deployment that lost its credentials does not put the sandbox (public shared secret) on its database.
      const refused = await run({ PORT: '0', DATABASE_PATH: join(dataDir, 'textback.sqlite'), ...env });
      expect(refused.code).not.toBe(0);
      expect(refused.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^config error: DATABASE_URL: sandbox mode never uses PostgreSQL/)]);
      expect(existsSync(dataDir)).toBe(false);
      expect(await tablesOf(database)).toEqual([]);
    }
    const { child, serving, exited } = serve({ DATABASE_PATH: join(dataDir, 'textback.sqlite') });

    const { port, mode } = await serving;
    const home = await fetch(`http://127.0.0.1:${port}/`);
    const state = await (await fetch(`http://127.0.0.1:${port}/sandbox/api/state`)).json() as { business: { installed: boolean } };
    child.kill('SIGTERM');

    expect(mode).toBe('sandbox');
    expect(await home.text()).toMatch(/Sandbox mode/);
    expect(state.business.installed).toBe(true);
    expect(await exited).toBe(0);
    expect(existsSync(join(dataDir, 'sandbox.key'))).toBe(true);
  });

  it('when the credentials and the encryption key are set, then it creates its database, serves live and is ready until SIGTERM', async () => {
    const dataDir = join(cwd, 'live-data');
    const { env, database } = await engineDatabase();
    const { child, serving, exited } = serve({
      NODE_ENV: 'production', ...CREDENTIALS, ENCRYPTION_KEY: generateKey(), PUBLIC_URL: 'https://textback.test',
      DATABASE_PATH: join(dataDir, 'textback.sqlite'), ...env,
    });

    const { port, mode } = await serving;
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    child.kill('SIGTERM');

    expect(mode).toBe('live');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', database: 'ok' });
    expect(await exited).toBe(0);
    // The database it ran on: the SQLite file, or (DATABASE_URL) the PostgreSQL database, which it migrated; never both.
    expect(existsSync(join(dataDir, 'textback.sqlite'))).toBe(engine === 'sqlite');
    if (database) expect(await tablesOf(database)).toEqual(expect.arrayContaining(['schema_migrations', 'jobs', 'messages', 'locations']));
  });
});
