// The built app as a child process for the crash test: a private build, then start, kill -9 and restart on one database.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = resolve(import.meta.dirname, '../../..');
// Not dist/: other suites (start-modes) rebuild dist/ while this one runs under `npm test`, and a child started
// from a half-written file would die for a reason that has nothing to do with crashes. Still under the project
// root, so the build finds node_modules, views/ and package.json exactly as dist/ does.
const OUT_DIR = join(ROOT, 'node_modules', '.cache', 'textback-crash-test');
const LOG_LINES_KEPT = 400;

/** Compiles src/ (incrementally) and returns the path of main.js. Type errors in others' files do not stop tsc emitting. */
export async function buildApp(): Promise<string> {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const args = [tsc, '-p', 'tsconfig.build.json', '--outDir', OUT_DIR, '--tsBuildInfoFile', join(OUT_DIR, '.tsbuildinfo')];
  const output = await new Promise<{ failed: boolean; text: string }>((done) => {
    execFile(process.execPath, args, { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({ failed: error !== null, text: `${stdout}${stderr}` });
    });
  });
  const main = join(OUT_DIR, 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`the build produced no ${main}:\n${output.text}`);
  if (output.failed) console.warn(`tsc reported errors; running what it emitted:\n${output.text.slice(0, 2_000)}`);
  return main;
}

/** A TCP port nobody listens on right now; the app keeps it across restarts. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => done(port));
    });
  });
}

export interface AppProcess {
  url: string;
  /** Spawns the app and resolves once GET /healthz answers 200. */
  start(): Promise<void>;
  /** kill -9: the signal goes out synchronously, the promise resolves once the process is gone. */
  kill(): Promise<void>;
  /** Exits the app did on its own (a crash the test did not cause), with the log tail at that moment. */
  unexpectedExits: string[];
  alive(): boolean;
  /** The app's last log lines (stdout and stderr, pino JSON at LOG_LEVEL=warn). */
  logTail(): string;
  /** The app's own count of texts it found "sending" at start-up and marked unknown, summed over starts. */
  reportedInterrupted(): number;
}

export function createAppProcess(options: { main: string; port: number; cwd: string; env: Record<string, string> }): AppProcess {
  const url = `http://127.0.0.1:${options.port}`;
  const lines: string[] = [];
  const unexpectedExits: string[] = [];
  let interrupted = 0;
  let child: ChildProcess | undefined;
  let killing = false;

  function keep(chunk: Buffer): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      lines.push(line);
      const reported = /"interrupted":(\d+)/.exec(line);
      if (reported) interrupted += Number(reported[1]);
    }
    if (lines.length > LOG_LINES_KEPT) lines.splice(0, lines.length - LOG_LINES_KEPT);
  }

  const killOnExit = () => { child?.kill('SIGKILL'); };
  process.once('exit', killOnExit);

  async function waitHealthy(started: ChildProcess): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (started.exitCode !== null || started.signalCode !== null) throw new Error(`the app exited before serving:\n${lines.slice(-30).join('\n')}`);
      try {
        const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
        await res.arrayBuffer();
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(25);
    }
    throw new Error(`the app did not answer /healthz within 30 s:\n${lines.slice(-30).join('\n')}`);
  }

  return {
    url,
    unexpectedExits,
    async start() {
      if (child && child.exitCode === null && child.signalCode === null) throw new Error('the app is already running');
      const started = spawn(process.execPath, [options.main], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
      child = started;
      started.stdout!.on('data', keep);
      started.stderr!.on('data', keep);
      started.on('exit', (code, signal) => {
        if (!(killing && signal === 'SIGKILL')) unexpectedExits.push(`exit ${code ?? signal}:\n${lines.slice(-30).join('\n')}`);
      });
      await waitHealthy(started);
    },
    async kill() {
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      killing = true;
      const gone = new Promise<void>((done) => running.once('exit', () => done()));
      running.kill('SIGKILL');
      await gone;
      killing = false;
    },
    alive: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    logTail: () => lines.join('\n'),
    reportedInterrupted: () => interrupted,
  };
}
