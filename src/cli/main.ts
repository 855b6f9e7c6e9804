// The operations CLI (`npm run textback -- <command>`): one line per command in COMMANDS, each in src/cli/commands/.
// Exit codes: 0 success, 1 failure (a failed check, a database error), 2 wrong usage.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfigFromProcess } from '../config.js';
import { systemClock } from '../lib/clock.js';
import { errorMessage } from '../lib/errors.js';
import { CliError, EXIT, UsageError, type CliCommand, type CliContext } from './context.js';

interface CommandEntry { summary: string; load(): Promise<{ command: CliCommand }> }

/** Registering a command is one line here (its module exports `command: CliCommand`). */
export const COMMANDS: Record<string, CommandEntry> = {
  export: { summary: 'print everything held about a number at a location (JSON, or CSV with --format csv)', load: () => import('./commands/export.js') },
  erase: { summary: "erase a number's calls, messages, replies and jobs at a location (its suppression stays)", load: () => import('./commands/erase.js') },
  suppress: { summary: "put a number on a location's suppression list (pending texts to it are cancelled)", load: () => import('./commands/suppress.js') },
  unsuppress: { summary: "lift a number's suppression at a location (a reason is required)", load: () => import('./commands/unsuppress.js') },
  'assign-sender': { summary: 'let a location send from a number or Messaging Service of the app-wide Twilio account', load: () => import('./commands/assign-sender.js') },
  'unassign-sender': { summary: 'take an app-wide Twilio sender back from a location (its texts from it stop)', load: () => import('./commands/unassign-sender.js') },
  backup: { summary: 'copy the live SQLite database to a file and check the copy (PRAGMA integrity_check); PostgreSQL: pg_dump', load: () => import('./commands/backup.js') },
  restore: { summary: 'bring a SQLite backup back as the database (app stopped; the replaced file is kept as <db>.before-restore-<time>)', load: () => import('./commands/restore.js') },
  retention: { summary: 'apply the retention rules now (--dry-run: only count what would go)', load: () => import('./commands/retention.js') },
  'migrate-to-postgres': { summary: 'copy the SQLite database into a new, empty PostgreSQL database (--to <url>; app stopped), verified by row counts', load: () => import('./commands/migrate-to-postgres.js') },
  doctor: { summary: 'check configuration, database, encryption key, webhook keys, HighLevel reachability, reconnects', load: () => import('./commands/doctor.js') },
};

const PROGRAM = 'npm run textback --';

export function overview(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  return [
    `Usage: ${PROGRAM} <command> [options]`,
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`),
    '',
    `"${PROGRAM} <command> --help" shows a command's options. Configuration comes from the environment (and .env), as for the app.`,
  ].join('\n');
}

/** Runs one command line; returns the exit code (never throws). */
export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? ctx.err : ctx.out)(overview());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    ctx.err(`unknown command "${name}"\n\n${overview()}`);
    return EXIT.usage;
  }
  const { command } = await entry.load();
  const usage = `Usage: ${PROGRAM} ${command.usage}`;
  if (args.includes('--help') || args.includes('-h')) {
    ctx.out(`${usage}\n\n${entry.summary}`);
    return EXIT.ok;
  }
  try {
    return await command.run(args, ctx);
  } catch (error) {
    if (error instanceof UsageError) {
      ctx.err(`${name}: ${error.message}\n${usage}`);
      return EXIT.usage;
    }
    if (error instanceof ConfigError) {
      for (const problem of error.problems) ctx.err(`config error: ${problem}`);
      return EXIT.failed;
    }
    ctx.err(`${name} failed: ${error instanceof CliError ? error.message : errorMessage(error)}`);
    return EXIT.failed;
  }
}

export function processContext(): CliContext {
  const line = (stream: NodeJS.WriteStream) => (text: string) => { stream.write(text.endsWith('\n') ? text : `${text}\n`); };
  return { out: line(process.stdout), err: line(process.stderr), loadConfig: loadConfigFromProcess, clock: systemClock, fetch: globalThis.fetch };
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (invokedDirectly) {
  runCli(process.argv.slice(2), processContext()).then((code) => { process.exitCode = code; });
}
