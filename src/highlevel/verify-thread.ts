// Webhook signatures checked in batches on one thread of the server's own, instead of one libuv pool job each.
//
// Under load the event loop is the intake's limit, so signatures are checked off it (webhook-signature.ts). Through
// libuv's pool each check is a job of its own: a queue hand-off, a pool thread woken, the event loop woken back and a
// callback made, about 50–70 µs of CPU on top of the 110 µs an Ed25519 verify cost through node's crypto (measured
// 2026-12-04; the thread checks Ed25519 through libsodium now, about 50 µs, ed25519.ts). Here every
// check asked for in one turn of the event loop travels in ONE message: the bodies and signatures copied into one
// buffer that is moved, not cloned, to the thread, which checks them in order and answers with one byte per check.
//
// If the thread fails or exits, what it held and everything after it is checked through the pool as before: a check
// is never lost, only slower.
import { verify, type KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { rawEd25519Key, SODIUM_MODULE } from './ed25519.js';

/** Checks one signature: `algorithm` null for Ed25519, 'sha256' for RSA. Resolves false on any error. */
export type SignatureCheck = (algorithm: string | null, body: Buffer, key: KeyObject, signature: Buffer) => Promise<boolean>;

export interface VerifyThread {
  check: SignatureCheck;
  /** Ends the thread; checks still on it are finished through the pool. */
  stop(): Promise<void>;
}

export interface VerifyThreadOptions {
  /** Checks sent in one message at most (default 32): a batch is checked in order, so it bounds the wait of the last. */
  maxBatch?: number;
  /** Told once when the thread fails; the pool checks from then on. */
  onError?: (error: unknown) => void;
}

/** Per check in a batch's layout: key index, algorithm (0 Ed25519, 1 RSA-SHA256), body offset and length, signature offset and length. */
const FIELDS = 6;

// The thread's code, eval'd so the same code serves the compiled app and the tests (as the checkpoint thread's does).
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { verify } = require('node:crypto');
const { keys, rawKeys } = workerData;
// Ed25519 through libsodium when the event loop could load it (ed25519.ts), node's crypto otherwise.
let sodium = null;
try { sodium = workerData.sodium ? require(workerData.sodium) : null; } catch { sodium = null; }
parentPort.on('message', ({ id, bytes, layout }) => {
  const count = layout.length / ${FIELDS};
  const results = new Uint8Array(count);
  for (let i = 0; i < count; i += 1) {
    const at = i * ${FIELDS};
    try {
      const body = Buffer.from(bytes, layout[at + 2], layout[at + 3]);
      const signature = Buffer.from(bytes, layout[at + 4], layout[at + 5]);
      const key = layout[at];
      if (layout[at + 1] === 1) results[i] = verify('sha256', body, keys[key], signature) ? 1 : 0;
      else if (sodium && rawKeys[key] && signature.length === 64) results[i] = sodium.crypto_sign_verify_detached(signature, body, rawKeys[key]) ? 1 : 0;
      else results[i] = verify(null, body, keys[key], signature) ? 1 : 0;
    } catch {
      results[i] = 0;
    }
  }
  parentPort.postMessage({ id, results }, [results.buffer]);
});
`;

interface Pending {
  algorithm: string | null;
  body: Buffer;
  key: KeyObject;
  signature: Buffer;
  resolve: (ok: boolean) => void;
}

/** A check through libuv's pool: node's `crypto.verify` with a callback. */
export const poolCheck: SignatureCheck = (algorithm, body, key, signature) => new Promise((resolve) => {
  try {
    verify(algorithm, body, key, signature, (error, ok) => resolve(!error && ok));
  } catch {
    resolve(false);
  }
});

/**
 * A thread that checks signatures against `keys` (a key it was not given is checked through the pool). The thread
 * starts at the first check, so an app that never sees two webhooks at once never pays for it.
 */
export function createVerifyThread(keys: readonly KeyObject[], options: VerifyThreadOptions = {}): VerifyThread {
  const maxBatch = options.maxBatch ?? 32;
  const keyIndex = new Map(keys.map((key, index) => [key, index]));
  let worker: Worker | null = null;
  let failed = false;
  let stopped = false;
  let waiting: Pending[] = [];
  let scheduled = false;
  let nextId = 0;
  const inFlight = new Map<number, Pending[]>();

  function failOver(error: unknown): void {
    if (failed) return;
    failed = true;
    worker = null;
    if (!stopped) options.onError?.(error);
    const held = [...inFlight.values()].flat().concat(waiting);
    inFlight.clear();
    waiting = [];
    for (const item of held) void poolCheck(item.algorithm, item.body, item.key, item.signature).then(item.resolve);
  }

  function thread(): Worker {
    if (worker) return worker;
    const rawKeys = keys.map((key) => (key.asymmetricKeyType === 'ed25519' ? rawEd25519Key(key) : null));
    const started = new Worker(THREAD, { eval: true, workerData: { keys, rawKeys, sodium: SODIUM_MODULE } });
    // Checks in flight are promises someone awaits; the thread itself never keeps the process alive.
    started.unref();
    started.on('message', ({ id, results }: { id: number; results: Uint8Array }) => {
      const batch = inFlight.get(id);
      if (!batch) return;
      inFlight.delete(id);
      batch.forEach((item, i) => item.resolve(results[i] === 1));
    });
    started.on('error', failOver);
    started.on('exit', (code) => failOver(new Error(`the signature thread exited (code ${code})`)));
    worker = started;
    return started;
  }

  function send(): void {
    scheduled = false;
    const batch = waiting;
    waiting = [];
    if (batch.length === 0) return;
    if (failed) {
      for (const item of batch) void poolCheck(item.algorithm, item.body, item.key, item.signature).then(item.resolve);
      return;
    }
    let size = 0;
    for (const item of batch) size += item.body.length + item.signature.length;
    const bytes = new Uint8Array(size);
    const layout = new Int32Array(batch.length * FIELDS);
    let offset = 0;
    batch.forEach((item, i) => {
      const at = i * FIELDS;
      layout[at] = keyIndex.get(item.key)!;
      layout[at + 1] = item.algorithm === null ? 0 : 1;
      layout[at + 2] = offset;
      layout[at + 3] = item.body.length;
      bytes.set(item.body, offset);
      offset += item.body.length;
      layout[at + 4] = offset;
      layout[at + 5] = item.signature.length;
      bytes.set(item.signature, offset);
      offset += item.signature.length;
    });
    const id = nextId++;
    inFlight.set(id, batch);
    thread().postMessage({ id, bytes: bytes.buffer, layout }, [bytes.buffer, layout.buffer]);
  }

  return {
    check(algorithm, body, key, signature) {
      if (failed || stopped || !keyIndex.has(key) || (algorithm !== null && algorithm !== 'sha256')) {
        return poolCheck(algorithm, body, key, signature);
      }
      return new Promise<boolean>((resolve) => {
        waiting.push({ algorithm, body, key, signature, resolve });
        if (waiting.length >= maxBatch) send();
        else if (!scheduled) {
          scheduled = true;
          setImmediate(send);
        }
      });
    },
    async stop() {
      stopped = true;
      const running = worker;
      if (!running) return;
      await running.terminate();
    },
  };
}
