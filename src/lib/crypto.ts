// Secrets at rest: AES-256-GCM sealing of tokens, bound to a context (e.g. the row's location id) as AAD.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** A sealed value could not be opened: malformed, tampered, sealed under another key, or bound to another context. */
export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

export interface SecretBox {
  /** Returns `v1.<iv>.<tag>.<ciphertext>` (base64url parts); a fresh random IV every call. */
  seal(plaintext: string, context?: string): string;
  /** Throws SecretBoxError unless `sealed` came from seal() with the same key and the same context. */
  open(sealed: string, context?: string): string;
}

/** A new random key for createSecretBox: 32 bytes, standard base64. */
export function generateKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

export function createSecretBox(keyBase64: string): SecretBox {
  const key = decodeKey(keyBase64);

  return {
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(additionalData(context));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join('.');
    },

    open(sealed, context) {
      const parts = typeof sealed === 'string' ? sealed.split('.') : [];
      if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretBoxError('sealed value is not in v1 format');
      const [iv, tag, ciphertext] = parts.slice(1).map(decodePart);
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretBoxError('sealed value is malformed');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(additionalData(context));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretBoxError('sealed value failed authentication (tampered, wrong key or wrong context)');
      }
    },
  };
}

function decodeKey(keyBase64: string): Buffer {
  const text = typeof keyBase64 === 'string' ? keyBase64.trim() : '';
  const valid = text.length > 0 && (BASE64.test(text) || BASE64URL.test(text));
  const key = valid ? Buffer.from(text, BASE64URL.test(text) ? 'base64url' : 'base64') : Buffer.alloc(0);
  if (key.length !== KEY_BYTES) {
    // The message never echoes the key: it is a secret even when wrong.
    throw new Error(`secret box key must be base64 of exactly ${KEY_BYTES} bytes (got ${key.length} bytes)`);
  }
  return key;
}

function decodePart(part: string): Buffer {
  if (!BASE64URL.test(part)) throw new SecretBoxError('sealed value is malformed');
  return Buffer.from(part, 'base64url');
}

/**
 * The AAD binds the format version and distinguishes "no context" from every context string (even ''), so a value
 * sealed without a context never opens under one and vice versa.
 */
function additionalData(context: string | undefined): Buffer {
  return Buffer.from(context === undefined ? VERSION : `${VERSION}:${context}`, 'utf8');
}
