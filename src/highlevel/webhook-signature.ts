// Verifies HighLevel webhook signatures over the raw body: x-ghl-signature (Ed25519) or legacy x-wh-signature (RSA-SHA256).
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../lib/project-root.js';
import { poolCheck, type SignatureCheck } from './verify-thread.js';
import { ed25519Verifies, rawEd25519Key } from './ed25519.js';

export type WebhookSignatureScheme = 'ed25519' | 'rsa-sha256';
export type WebhookVerification =
  | { ok: true; scheme: WebhookSignatureScheme }
  | { ok: false; reason: 'missing' | 'invalid' };
/** Accepts express's `req.headers` as is; a repeated header is treated as invalid, never merged. */
export interface WebhookSignatureHeaders {
  'x-ghl-signature'?: string | string[];
  'x-wh-signature'?: string | string[];
}
/**
 * Resolves once the signature is checked. The check runs off the event loop (a thread of the app's own, or libuv's
 * pool: VerifierOptions.check): it is the costliest step of an incoming webhook (an Ed25519 check is about 50 µs
 * through libsodium, ed25519.ts), and off the loop the other core does it while the event loop parses, stores and
 * answers other requests. With `inline`, when nothing else waits for the event loop, it runs right here instead: the
 * hop off the loop and back costs more CPU than the check itself saves the loop (through node's crypto, an Ed25519
 * verify took 110 µs of CPU inline, 160–180 µs through the pool, measured 2026-12-04).
 */
export type WebhookVerifier = (rawBody: Buffer, headers: WebhookSignatureHeaders, options?: VerifyOptions) => Promise<WebhookVerification>;

export interface VerifierOptions {
  /**
   * How a check off the event loop is made: through libuv's pool by default, or in batches on a thread of its own
   * (verify-thread.ts), which costs the process far less CPU per check under load.
   */
  check?: SignatureCheck;
}

export interface VerifyOptions {
  /** Check on the calling thread: the caller knows no other request is waiting for the event loop. */
  inline?: boolean;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const ED25519_SIGNATURE_BYTES = 64;
const DEFAULT_KEY_FILES = ['marketplace/keys/webhook-ed25519.pem', 'marketplace/keys/webhook-rsa.pem'];

/**
 * Parses one or more concatenated PEM public keys (SPKI "PUBLIC KEY" or PKCS#1 "RSA PUBLIC KEY"), or bare base64
 * SPKI DER strings separated by commas. Literal "\n" sequences (as env vars often carry them) count as newlines.
 * Only Ed25519 and RSA keys are accepted; anything else throws.
 */
export function parsePublicKeys(pemBundle: string): KeyObject[] {
  const text = String(pemBundle ?? '').replace(/\\n/g, '\n').trim();
  if (text === '') throw new Error('webhook public keys: empty key bundle');
  const keys = text.includes('-----BEGIN') ? parsePemBlocks(text) : parseBareBase64(text);
  for (const key of keys) {
    const type = key.asymmetricKeyType;
    if (type !== 'ed25519' && type !== 'rsa') {
      throw new Error(`webhook public keys: unsupported key type "${type}" (only ed25519 and rsa)`);
    }
  }
  return keys;
}

/**
 * Builds the hot-path verifier. x-ghl-signature is checked first against the Ed25519 keys; when it is absent or does
 * not verify, x-wh-signature is checked against the RSA keys. 'missing' means neither header carried a value.
 * Never throws on request input.
 */
export function createWebhookVerifier(keys: KeyObject[], options: VerifierOptions = {}): WebhookVerifier {
  const check = options.check ?? poolCheck;
  const ed25519Keys: KeyObject[] = [];
  const rsaKeys: KeyObject[] = [];
  for (const key of keys) {
    if (key.type !== 'public') throw new Error('webhook verifier: expected public keys');
    if (key.asymmetricKeyType === 'ed25519') ed25519Keys.push(key);
    else if (key.asymmetricKeyType === 'rsa') rsaKeys.push(key);
    else throw new Error(`webhook verifier: unsupported key type "${key.asymmetricKeyType}"`);
  }
  if (ed25519Keys.length === 0 && rsaKeys.length === 0) throw new Error('webhook verifier: no public keys given');
  // Ed25519 checked here (inline) goes through libsodium, which takes the key's 32 raw bytes.
  const rawKeys = new Map(ed25519Keys.map((key) => [key, rawEd25519Key(key)]));

  return async (rawBody, headers, options = {}) => {
    const ghl = headers['x-ghl-signature'];
    const wh = headers['x-wh-signature'];
    const hasGhl = isPresent(ghl);
    const hasWh = isPresent(wh);
    const inline = options.inline === true;
    if (!hasGhl && !hasWh) return { ok: false, reason: 'missing' };
    if (hasGhl && await verifyEd25519(rawBody, ghl, ed25519Keys, rawKeys, inline ? null : check)) return { ok: true, scheme: 'ed25519' };
    if (hasWh && await verifyRsa(rawBody, wh, rsaKeys, inline ? null : check)) return { ok: true, scheme: 'rsa-sha256' };
    return { ok: false, reason: 'invalid' };
  };
}

/** HighLevel's published webhook keys (Ed25519 + legacy RSA) as one PEM bundle, from marketplace/keys/. */
export function loadDefaultWebhookKeys(): string {
  const root = projectRoot();
  return DEFAULT_KEY_FILES.map((file) => readFileSync(join(root, file), 'utf8').trim()).join('\n') + '\n';
}

/** `offThread`: how to check off the event loop; null checks right here. */
async function verifyEd25519(body: Buffer, header: string | string[] | undefined, keys: KeyObject[], rawKeys: ReadonlyMap<KeyObject, Buffer>, offThread: SignatureCheck | null): Promise<boolean> {
  const signature = decodeSignature(header);
  if (signature === null || signature.length !== ED25519_SIGNATURE_BYTES) return false;
  if (!offThread) return keys.some((key) => ed25519Verifies(body, key, rawKeys.get(key)!, signature));
  return anyKeyVerifies(null, body, keys, signature, offThread);
}

async function verifyRsa(body: Buffer, header: string | string[] | undefined, keys: KeyObject[], offThread: SignatureCheck | null): Promise<boolean> {
  const signature = decodeSignature(header);
  if (signature === null) return false;
  return anyKeyVerifies('sha256', body, keys, signature, offThread);
}

/** Tries the keys one after another (a rotation publishes two at most), stopping at the first that verifies. */
async function anyKeyVerifies(algorithm: string | null, body: Buffer, keys: KeyObject[], signature: Buffer, offThread: SignatureCheck | null): Promise<boolean> {
  for (const key of keys) {
    if (offThread ? await offThread(algorithm, body, key, signature) : verifiesHere(algorithm, body, key, signature)) return true;
  }
  return false;
}

function verifiesHere(algorithm: string | null, body: Buffer, key: KeyObject, signature: Buffer): boolean {
  try {
    return verify(algorithm, body, key, signature);
  } catch {
    return false;
  }
}

function isPresent(value: string | string[] | undefined): boolean {
  return Array.isArray(value) ? value.length > 0 : typeof value === 'string' && value.trim() !== '';
}

/** Strict base64: Buffer.from would silently skip junk characters, so the alphabet is checked first. */
function decodeSignature(value: string | string[] | undefined): Buffer | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text.length % 4 !== 0 || !BASE64.test(text)) return null;
  return Buffer.from(text, 'base64');
}

function parsePemBlocks(text: string): KeyObject[] {
  const keys: KeyObject[] = [];
  for (const match of text.matchAll(PEM_BLOCK)) {
    const label = match[1];
    if (label !== 'PUBLIC KEY' && label !== 'RSA PUBLIC KEY') {
      throw new Error(`webhook public keys: unexpected PEM block "${label}" (expected a public key)`);
    }
    keys.push(createKey(() => createPublicKey({ key: match[0], format: 'pem' }), `PEM block #${keys.length + 1}`));
  }
  if (keys.length === 0) throw new Error('webhook public keys: no complete PEM block found');
  return keys;
}

function parseBareBase64(text: string): KeyObject[] {
  return text.split(',').map((part, index) => {
    const compact = part.replace(/\s+/g, '');
    if (!BASE64.test(compact)) throw new Error(`webhook public keys: entry #${index + 1} is neither PEM nor base64`);
    const der = Buffer.from(compact, 'base64');
    return createKey(() => createPublicKey({ key: der, format: 'der', type: 'spki' }), `base64 entry #${index + 1}`);
  });
}

function createKey(build: () => KeyObject, what: string): KeyObject {
  try {
    return build();
  } catch (error) {
    throw new Error(`webhook public keys: ${what} is not a valid public key (${(error as Error).message})`);
  }
}

