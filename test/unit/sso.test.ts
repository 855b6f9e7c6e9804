// Tests the embedded page's user-context decryption against OpenSSL-made vectors and an independent CryptoJS-style encoder.
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptUserContext, encryptUserContext, SsoDecryptError, UserContextSchema } from '../../src/highlevel/sso.js';

const SECRET = 'shared-secret-2b7e1516';
const SAMPLE = {
  userId: 'MKQJ7wOVVmNOMvrnKKKK',
  companyId: 'GNb7aIv4rQFVb9iwNl5K',
  role: 'admin',
  type: 'agency',
  activeLocation: 'yLKVZpNppIdYpah4RjNE',
  userName: 'John Doe',
  email: 'johndoe@gmail.com',
};

// Made once with the OpenSSL CLI (an independent implementation), then prefixed with "Salted__" + salt:
//   openssl enc -aes-256-cbc -md md5 -S 0102030405060708 -pass 'pass:shared-secret-2b7e1516' -in <SAMPLE as compact JSON>
const OPENSSL_VECTOR =
  'U2FsdGVkX18BAgMEBQYHCMENt8zNvQbZYWVXRDS99UcBeTTaDugOthsu+zuhGTHZBsigdyejsXGW6uua1ebD7Jz/4cHMQlq8KfgYzpnkAK7TcPY/M9kF' +
  'DJz6zrEtY3K6WCr8g0dCTRU+aO4vl/VOcBk6If+0SzHIAjNm50yk3sWC/FlPrSh1dZC4/bKpP0tDVGAXhbZD91utyIe0W/wRJVGcHceJFJVeQVW9Inn0' +
  'C1dK44L+zBOIHbailswQ7qAl5j9pD4Eic5aX6sItxHxF6A==';
// Same tool, salt a1b2c3d4e5f60718, a non-ASCII passphrase (UTF-8 bytes) and a minimal location-level context.
const OPENSSL_UTF8_VECTOR =
  'U2FsdGVkX1+hssPU5fYHGHoHKRBFTTyPY21D/B67z2Mf8YFfsZaEnBo1SdjQvnGWNvnNRo4SkS8p+i8b4iDbpuW638j0A8Tmz1rhL3BtJRFB3RIhQcBu2nZcI5x4nt4o';

/** Written from the algorithm's description, sharing no code with src/highlevel/sso.ts. */
function referenceEncrypt(plaintext: string, passphrase: string, salt: Buffer): string {
  let material = Buffer.alloc(0);
  let block = Buffer.alloc(0);
  while (material.length < 48) {
    block = createHash('md5').update(Buffer.concat([block, Buffer.from(passphrase, 'utf8'), salt])).digest();
    material = Buffer.concat([material, block]);
  }
  const cipher = createCipheriv('aes-256-cbc', material.subarray(0, 32), material.subarray(32, 48));
  const body = Buffer.concat([cipher.update(Buffer.from(plaintext, 'utf8')), cipher.final()]);
  return Buffer.concat([Buffer.from('Salted__'), salt, body]).toString('base64');
}

describe('decryptUserContext', () => {
  it('when given the fixed OpenSSL vector, then it yields the sample user context', () => {
    expect(decryptUserContext(OPENSSL_VECTOR, SECRET)).toEqual(SAMPLE);
  });

  it('when the passphrase is non-ASCII, then it is used as UTF-8 bytes like CryptoJS does', () => {
    expect(decryptUserContext(OPENSSL_UTF8_VECTOR, 'pässwört 🔑')).toEqual({
      userId: 'u1', companyId: 'c1', role: 'user', type: 'location',
    });
  });

  it('when the payload comes from the independent reference encoder, then it decrypts for many salts and sizes', () => {
    for (let i = 0; i < 40; i++) {
      const ctx = { ...SAMPLE, userName: 'x'.repeat(i), extra: { n: i } };
      const payload = referenceEncrypt(JSON.stringify(ctx), SECRET, randomBytes(8));
      expect(decryptUserContext(payload, SECRET)).toEqual(ctx);
    }
  });

  it('when HighLevel adds fields, then they pass through', () => {
    const payload = referenceEncrypt(JSON.stringify({ ...SAMPLE, newField: 42 }), SECRET, randomBytes(8));
    expect(decryptUserContext(payload, SECRET)).toMatchObject({ newField: 42 });
  });

  it('when the shared secret is wrong, then SsoDecryptError is thrown', () => {
    expect(() => decryptUserContext(OPENSSL_VECTOR, 'not-the-secret')).toThrow(SsoDecryptError);
  });

  it('when the ciphertext is tampered, then SsoDecryptError is thrown', () => {
    const bytes = Buffer.from(OPENSSL_VECTOR, 'base64');
    for (const index of [9, 20, bytes.length - 1, bytes.length - 17]) {
      const tampered = Buffer.from(bytes);
      tampered[index] ^= 0x40;
      expect(() => decryptUserContext(tampered.toString('base64'), SECRET)).toThrow(SsoDecryptError);
    }
  });

  it('when the payload is not CryptoJS format, then SsoDecryptError is thrown', () => {
    const noMagic = Buffer.from(OPENSSL_VECTOR, 'base64').subarray(16).toString('base64');
    const truncated = Buffer.from(OPENSSL_VECTOR, 'base64').subarray(0, 40).toString('base64');
    const headerOnly = Buffer.from('Salted__12345678').toString('base64');
    for (const payload of ['', 'not base64 !!', noMagic, truncated, headerOnly, OPENSSL_VECTOR.slice(1)]) {
      expect(() => decryptUserContext(payload, SECRET)).toThrow(SsoDecryptError);
    }
  });

  it('when the plaintext is not JSON or misses required fields, then SsoDecryptError is thrown', () => {
    const cases = ['hello', '[1,2]', 'null', JSON.stringify({ ...SAMPLE, userId: undefined }),
      JSON.stringify({ ...SAMPLE, companyId: 7 }), JSON.stringify({ userId: 'u', companyId: 'c', role: 'admin' })];
    for (const plaintext of cases) {
      expect(() => decryptUserContext(referenceEncrypt(plaintext, SECRET, randomBytes(8)), SECRET)).toThrow(SsoDecryptError);
    }
  });

  it('when any failure happens, then the error message is the same (no padding oracle)', () => {
    const messages = new Set<string>();
    for (const [payload, secret] of [[OPENSSL_VECTOR, 'wrong'], ['junk', SECRET],
      [referenceEncrypt('not json', SECRET, randomBytes(8)), SECRET]] as const) {
      try {
        decryptUserContext(payload, secret);
      } catch (error) {
        messages.add((error as Error).message);
      }
    }
    expect([...messages]).toEqual(['user context could not be decrypted']);
  });

  it('when the shared secret is empty, then a configuration error (not SsoDecryptError) is thrown', () => {
    expect(() => decryptUserContext(OPENSSL_VECTOR, '')).toThrow(/not configured/);
    expect(() => decryptUserContext(OPENSSL_VECTOR, '')).not.toThrow(SsoDecryptError);
  });
});

describe('encryptUserContext', () => {
  it('when encrypting, then the output is CryptoJS format and round-trips with a fresh salt each time', () => {
    const a = encryptUserContext(SAMPLE, SECRET);
    const b = encryptUserContext(SAMPLE, SECRET);
    expect(a.startsWith('U2FsdGVkX1')).toBe(true);
    expect(a).not.toBe(b);
    expect(decryptUserContext(a, SECRET)).toEqual(SAMPLE);
  });

  it('when encrypting with a known salt, then the output matches the reference encoder byte for byte', () => {
    const payload = encryptUserContext(SAMPLE, SECRET);
    const salt = Buffer.from(payload, 'base64').subarray(8, 16);
    expect(payload).toBe(referenceEncrypt(JSON.stringify(SAMPLE), SECRET, salt));
  });
});

describe('UserContextSchema', () => {
  it('when optional fields are absent, then it still parses; when role is missing, then it fails', () => {
    expect(UserContextSchema.safeParse({ userId: 'u', companyId: 'c', role: 'user', type: 'location' }).success).toBe(true);
    expect(UserContextSchema.safeParse({ userId: 'u', companyId: 'c', type: 'location' }).success).toBe(false);
  });
});
