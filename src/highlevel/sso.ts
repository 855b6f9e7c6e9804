// The embedded page's user context: CryptoJS passphrase AES (OpenSSL "Salted__", EVP_BytesToKey MD5, AES-256-CBC).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';

/** Lenient: HighLevel may add fields; only the ones the app relies on are checked. */
export const UserContextSchema = z.looseObject({
  userId: z.string().min(1),
  companyId: z.string().min(1),
  role: z.string(),
  type: z.string(),
  userName: z.string().optional(),
  email: z.string().optional(),
  /** Present when the page is opened inside a sub-account, even when `type` says "agency". */
  activeLocation: z.string().optional(),
});
export type UserContext = z.infer<typeof UserContextSchema>;

/**
 * Every failure (format, padding, UTF-8, JSON, schema) carries the same message on purpose: CBC without a MAC is a
 * padding oracle if callers can tell a padding error from a JSON error. Answer all of them identically.
 */
export class SsoDecryptError extends Error {
  constructor() {
    super('user context could not be decrypted');
    this.name = 'SsoDecryptError';
  }
}

const MAGIC = Buffer.from('Salted__', 'ascii');
const SALT_BYTES = 8;
const KEY_BYTES = 32;
const IV_BYTES = 16;
const BLOCK_BYTES = 16;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decryptUserContext(payload: string, sharedSecret: string): UserContext {
  assertSecret(sharedSecret);
  const data = decodePayload(payload);
  const salt = data.subarray(MAGIC.length, MAGIC.length + SALT_BYTES);
  const ciphertext = data.subarray(MAGIC.length + SALT_BYTES);
  const { key, iv } = deriveKeyAndIv(sharedSecret, salt);
  let parsed: unknown;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, iv);
    const plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    parsed = JSON.parse(utf8.decode(plaintext));
  } catch {
    throw new SsoDecryptError();
  }
  const result = UserContextSchema.safeParse(parsed);
  if (!result.success) throw new SsoDecryptError();
  return result.data;
}

/** What HighLevel's parent page produces (`CryptoJS.AES.encrypt(JSON.stringify(ctx), secret).toString()`). */
export function encryptUserContext(ctx: object, sharedSecret: string): string {
  assertSecret(sharedSecret);
  const salt = randomBytes(SALT_BYTES);
  const { key, iv } = deriveKeyAndIv(sharedSecret, salt);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(ctx), 'utf8'), cipher.final()]);
  return Buffer.concat([MAGIC, salt, ciphertext]).toString('base64');
}

/** OpenSSL EVP_BytesToKey, MD5, one iteration: D_i = MD5(D_{i-1} || passphrase || salt) until key+iv are filled. */
function deriveKeyAndIv(passphrase: string, salt: Buffer): { key: Buffer; iv: Buffer } {
  const secret = Buffer.from(passphrase, 'utf8');
  const blocks: Buffer[] = [];
  let produced = 0;
  let previous = Buffer.alloc(0);
  while (produced < KEY_BYTES + IV_BYTES) {
    previous = createHash('md5').update(previous).update(secret).update(salt).digest();
    blocks.push(previous);
    produced += previous.length;
  }
  const material = Buffer.concat(blocks);
  return { key: material.subarray(0, KEY_BYTES), iv: material.subarray(KEY_BYTES, KEY_BYTES + IV_BYTES) };
}

function decodePayload(payload: string): Buffer {
  const text = typeof payload === 'string' ? payload.replace(/\s+/g, '') : '';
  if (text.length % 4 !== 0 || !BASE64.test(text)) throw new SsoDecryptError();
  const data = Buffer.from(text, 'base64');
  const cipherBytes = data.length - MAGIC.length - SALT_BYTES;
  if (cipherBytes <= 0 || cipherBytes % BLOCK_BYTES !== 0 || !data.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new SsoDecryptError();
  }
  return data;
}

/** A missing secret is a configuration fault (answer 500), not a bad payload, so it is a plain Error. */
function assertSecret(sharedSecret: string): void {
  if (typeof sharedSecret !== 'string' || sharedSecret === '') {
    throw new Error('SSO shared secret is not configured');
  }
}
