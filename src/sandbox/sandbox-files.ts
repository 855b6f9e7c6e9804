// What the sandbox keeps next to its database: the encryption key (mode 0600) and a little state (clock, contacts).
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { generateKey } from '../lib/crypto.js';

export const SandboxStateSchema = z.object({
  clockOffsetMs: z.number().finite().default(0),
  /** How much time the sandbox page made pass, in total (shown on the page). */
  advancedMs: z.number().finite().min(0).default(0),
  /** The stand-in keeps contacts in memory: they are re-created with the same ids so the app's records still match. */
  /** Without locationId: a contact of the first demo sub-account (state files written before there were two). */
  contacts: z.array(z.object({ id: z.string().min(1), phone: z.string().min(1), locationId: z.string().min(1).optional() })).default(() => []),
});
export type SandboxState = z.infer<typeof SandboxStateSchema>;

export interface SandboxFiles {
  keyPath: string;
  statePath: string;
}

/** The sandbox files live in the directory of the SQLite file, so one data directory holds everything. */
export function sandboxFiles(databasePath: string): SandboxFiles {
  const dir = dirname(databasePath);
  return { keyPath: join(dir, 'sandbox.key'), statePath: join(dir, 'sandbox-state.json') };
}

/** Reads the persisted key, or generates one and writes it readable by its owner only (restarts keep working). */
export function loadOrCreateEncryptionKey(path: string): string {
  if (existsSync(path)) {
    const key = readFileSync(path, 'utf8').trim();
    if (Buffer.from(key, 'base64').length !== 32) {
      throw new Error(`${path} does not hold a 32-byte base64 key; delete it together with the sandbox database to start over`);
    }
    return key;
  }
  mkdirSync(dirname(path), { recursive: true });
  const key = generateKey();
  writeFileSync(path, `${key}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return key;
}

/** A missing or unreadable state file starts the sandbox afresh rather than refusing to start. */
export function loadSandboxState(path: string): SandboxState {
  try {
    return SandboxStateSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return SandboxStateSchema.parse({});
  }
}

/** Write-then-rename, so a crash mid-write leaves the previous state intact. */
export function saveSandboxState(path: string, state: SandboxState): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.tmp`;
  writeFileSync(temp, JSON.stringify(state, null, 2), { mode: 0o600 });
  renameSync(temp, path);
}
