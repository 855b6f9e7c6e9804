// Identifiers and secrets minted by the stand-in: 20-char alphanumeric ids like HighLevel's, opaque hex tokens.
import { randomFillSync, randomUUID } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
// One pooled buffer keeps id minting cheap under benchmark load (no syscall per id).
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function takeRandomBytes(count: number): Buffer {
  if (poolOffset + count > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + count);
  poolOffset += count;
  return bytes;
}

/** A HighLevel-looking id, e.g. `ve9EPM428h8vShlRW1KT`. The modulo bias is irrelevant for a stand-in. */
export function createId(): string {
  const bytes = takeRandomBytes(20);
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return id;
}

/** An opaque bearer/refresh token or authorization code. */
export function createSecret(): string {
  return takeRandomBytes(20).toString('hex');
}

export function createTraceId(): string {
  return randomUUID();
}
