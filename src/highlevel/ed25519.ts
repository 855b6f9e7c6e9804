// Ed25519 signature checks through libsodium (sodium-native) when it loads, node's crypto (OpenSSL) otherwise.
//
// An x-ghl-signature check is most of what an incoming webhook costs. libsodium checked one in 46 µs of CPU on this
// VM against 76 µs for node's `crypto.verify` (3 × 3,000 checks each, 2026-12-05; docs/performance.md). Both reject
// a signature S outside the group order; libsodium also rejects small-order keys and R points, which no honest signer
// produces. Where sodium-native has no prebuilt binary (it ships them for linux, macOS and Windows on x64 and arm64),
// node's crypto checks the same signatures, slower.
import { createRequire } from 'node:module';
import { verify, type KeyObject } from 'node:crypto';

export interface Sodium {
  crypto_sign_verify_detached(signature: Buffer, message: Buffer, publicKey: Buffer): boolean;
}

const require = createRequire(import.meta.url);

const found = loadSodium();
/** Where sodium-native's module is, for a thread that loads it on its own (verify-thread.ts); null when it does not load. */
export const SODIUM_MODULE: string | null = found?.path ?? null;
const loaded: Sodium | null = found?.sodium ?? null;

const SIGNATURE_BYTES = 64;

/** Which library checks Ed25519 signatures in this process. */
export const ED25519_LIBRARY: 'libsodium' | 'openssl' = loaded ? 'libsodium' : 'openssl';

export type Ed25519Check = (body: Buffer, key: KeyObject, rawKey: Buffer, signature: Buffer) => boolean;

/** The 32 bytes of an Ed25519 public key, as libsodium takes it. */
export function rawEd25519Key(key: KeyObject): Buffer {
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`not an Ed25519 key: ${key.asymmetricKeyType}`);
  const { x } = key.export({ format: 'jwk' });
  return Buffer.from(String(x), 'base64url');
}

/**
 * True when `signature` is `key`'s Ed25519 signature of `body`. `rawKey` is rawEd25519Key(key), worked out once per
 * key by the caller. Never throws on request input.
 */
export const ed25519Verifies: Ed25519Check = ed25519Checker(loaded);

/** The check through `sodium`, or through node's crypto when it is null (exported for the tests of both). */
export function ed25519Checker(sodium: Sodium | null): Ed25519Check {
  return (body, key, rawKey, signature) => {
    if (signature.length !== SIGNATURE_BYTES) return false;
    try {
      return sodium ? sodium.crypto_sign_verify_detached(signature, body, rawKey) : verify(null, body, key, signature);
    } catch {
      return false;
    }
  };
}

function loadSodium(): { path: string; sodium: Sodium } | null {
  try {
    const path = require.resolve('sodium-native');
    const sodium = require(path) as Partial<Sodium>;
    return typeof sodium.crypto_sign_verify_detached === 'function' ? { path, sodium: sodium as Sodium } : null;
  } catch {
    return null;
  }
}
