// Child processes of the benchmark: the built app in production mode, the bare baseline server, RSS sampling.
// Each server runs in its own process so the load generator (this process) never shares its event loop or core.
import { fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// Every child still alive when the benchmark exits (normally or on an error) is killed with it.
const alive = new Set();
process.on('exit', () => { for (const child of alive) child.kill('SIGKILL'); });
function track(child) {
  alive.add(child);
  child.once('exit', () => alive.delete(child));
  return child;
}
export const DIST = process.env.BENCH_DIST ?? join(ROOT, 'dist', 'src');

/** A TCP port nobody listens on right now (the app takes PORT from its environment). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The environment a production deployment would have; HIGHLEVEL_API_URL points at a local stand-in (or nowhere).
 * `databaseUrl` runs the app on PostgreSQL (DATABASE_URL) instead of the SQLite file at `databasePath`.
 */
export function productionEnv({ port, databasePath, databaseUrl, webhookKeyPem, encryptionKey, apiUrl, clientId = 'bench-client', clientSecret = 'bench-secret' }) {
  return {
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_PATH: databasePath,
    HIGHLEVEL_CLIENT_ID: clientId,
    HIGHLEVEL_CLIENT_SECRET: clientSecret,
    HIGHLEVEL_SHARED_SECRET: 'bench-shared-secret',
    HIGHLEVEL_WEBHOOK_KEYS: webhookKeyPem,
    HIGHLEVEL_API_URL: apiUrl,
    ENCRYPTION_KEY: encryptionKey ?? randomBytes(32).toString('base64'),
  };
}

async function waitHealthy(url, child, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app exited with code ${child.exitCode} before serving`);
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the app did not become healthy in time');
}

/**
 * Starts `node dist/src/main.js` with `env` (see productionEnv). `cpuProfileDir` turns on `--cpu-prof`.
 * The working directory is a temp dir so a developer's `.env` is never read.
 */
export async function startApp({ env, cwd, cpuProfileDir }) {
  const args = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : [];
  if (process.env.BENCH_NODE_ARGS) args.push(...process.env.BENCH_NODE_ARGS.split(' ').filter(Boolean));
  const stderr = [];
  const child = track(spawn(process.execPath, [...args, join(DIST, 'main.js')], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] }));
  child.stderr.on('data', (chunk) => {
    stderr.push(String(chunk));
    if (stderr.length > 50) stderr.shift();
    if (process.env.BENCH_VERBOSE) process.stderr.write(chunk);
  });
  const url = `http://127.0.0.1:${env.PORT}`;
  try {
    await waitHealthy(url, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${error.message}\n${stderr.join('')}`);
  }
  return {
    url,
    pid: child.pid,
    rssMb: () => rssMb(child.pid),
    cpuMs: () => cpuMs(child.pid),
    /** SIGTERM: the app finishes jobs in flight and closes its database (a CPU profile is written on this exit). */
    stop: () => stopChild(child, 'SIGTERM'),
  };
}

/** Forks the bare node:http baseline, with or without Ed25519 verification. */
/**
 * The bare baseline server (bench/servers/bare-server.js). `verify`: false, true (node's crypto, the baseline of the
 * ingest ratio) or 'libsodium' (the library the app checks Ed25519 with, reported for reference).
 */
export async function startBare({ verify, publicKeyPem }) {
  const mode = verify === 'libsodium' ? 'libsodium' : verify ? '1' : '0';
  const child = track(fork(join(ROOT, 'bench', 'servers', 'bare-server.js'), [], {
    env: { PATH: process.env.PATH ?? '', BENCH_VERIFY: mode, BENCH_PUBLIC_KEY: publicKeyPem ?? '' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  }));
  const { port } = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, pid: child.pid, rssMb: () => rssMb(child.pid), stop: () => stopChild(child, 'SIGTERM') };
}

function stopChild(child, signal) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => { clearTimeout(force); resolve(); });
    child.kill(signal);
  });
}

/** Resident set size of a process in MB (Linux /proc), or NaN where /proc is not available. */
export function rssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return kb / 1024;
  } catch {
    return Number.NaN;
  }
}

/** CPU time (user + system) a process has used so far, in ms (Linux /proc), or NaN. */
export function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of stat, i.e. 12 and 13 after the command name; clock ticks are 100/s on Linux.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; returns the peak. */
export function sampleRss(pid, everyMs = 250) {
  let peak = rssMb(pid);
  const timer = setInterval(() => { const now = rssMb(pid); if (now > peak || Number.isNaN(peak)) peak = now; }, everyMs);
  return { stop() { clearInterval(timer); const now = rssMb(pid); return Math.max(peak, Number.isNaN(now) ? 0 : now); } };
}
