// `npm start` as a black box (the built dist/src/main.js): production refuses to start without credentials and names
// each missing variable; without credentials and outside production it serves the sandbox.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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

describe('npm start', () => {
  it('when NODE_ENV=production and no credentials are set, then it exits non-zero naming each missing variable', async () => {
    const result = await run({ NODE_ENV: 'production', PORT: '0' });

    expect(result.code).not.toBe(0);
    const lines = result.stderr.trim().split('\n');
    for (const name of ['HIGHLEVEL_CLIENT_ID', 'HIGHLEVEL_CLIENT_SECRET', 'HIGHLEVEL_SHARED_SECRET', 'ENCRYPTION_KEY']) {
      expect(lines.filter((line) => line.startsWith(`config error: ${name}:`)), result.stderr).toHaveLength(1);
    }
    expect(lines).toHaveLength(4);
    expect(result.stdout).not.toMatch(/serving/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('when NODE_ENV=production and only the encryption key is missing, then that is the one line', async () => {
    const result = await run({ NODE_ENV: 'production', PORT: '0', ...CREDENTIALS });

    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^config error: ENCRYPTION_KEY: required/)]);
  });

  it('when no credentials are set outside production, then it serves the sandbox until SIGTERM', async () => {
    const dataDir = join(cwd, 'sandbox-data');
    const child = spawn(process.execPath, [MAIN], {
      cwd, env: { PATH: process.env.PATH ?? '', PORT: '0', DATABASE_PATH: join(dataDir, 'textback.sqlite') },
    });
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
});
