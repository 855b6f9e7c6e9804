// Ed25519 checks through libsodium and through node's crypto (the fallback) give the same answers, RFC 8032's known
// answer included; and on the platforms sodium-native ships binaries for, libsodium is the one in use.
import { createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ED25519_LIBRARY, ed25519Checker, rawEd25519Key, type Sodium } from '../../src/highlevel/ed25519.js';

const sodium = createRequire(import.meta.url)('sodium-native') as Sodium;
const checkers = [['libsodium', ed25519Checker(sodium)], ['openssl', ed25519Checker(null)]] as const;

// RFC 8032, section 7.1, TEST 2: a one-byte message.
const RFC_PUBLIC_KEY = Buffer.from('3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c', 'hex');
const RFC_MESSAGE = Buffer.from('72', 'hex');
const RFC_SIGNATURE = Buffer.from('92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da'
  + '085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00', 'hex');
const rfcKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: RFC_PUBLIC_KEY.toString('base64url') }, format: 'jwk' });

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519').publicKey;
const body = Buffer.from(JSON.stringify({ type: 'InboundMessage', body: 'Café ☎', webhookId: 'wh-1' }));
const signature = sign(null, body, privateKey);

/** The group order L of Ed25519, little-endian, as S sits in the signature's second half. */
const L = (1n << 252n) + 27742317777372353535851937790883648493n;
function withNonCanonicalS(valid: Buffer): Buffer {
  const s = BigInt('0x' + Buffer.from(valid.subarray(32)).reverse().toString('hex')) + L;
  const bytes = Buffer.from(s.toString(16).padStart(64, '0'), 'hex').reverse();
  return Buffer.concat([valid.subarray(0, 32), bytes]);
}

describe('Ed25519 checks', () => {
  it('use libsodium on this platform (sodium-native ships a binary for it)', () => {
    expect(ED25519_LIBRARY).toBe('libsodium');
  });

  it('take the key as its 32 raw bytes, and refuse a key that is not Ed25519', () => {
    expect(rawEd25519Key(rfcKey)).toEqual(RFC_PUBLIC_KEY);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    expect(() => rawEd25519Key(rsa)).toThrow(/not an Ed25519 key/);
  });

  for (const [name, verifies] of checkers) {
    describe(`through ${name}`, () => {
      it('accept RFC 8032\'s known answer and refuse it for another message', () => {
        expect(verifies(RFC_MESSAGE, rfcKey, RFC_PUBLIC_KEY, RFC_SIGNATURE)).toBe(true);
        expect(verifies(Buffer.from('73', 'hex'), rfcKey, RFC_PUBLIC_KEY, RFC_SIGNATURE)).toBe(false);
      });

      it('accept a signature of the body, and refuse a changed body, a changed signature or another key', () => {
        expect(verifies(body, publicKey, rawEd25519Key(publicKey), signature)).toBe(true);
        expect(verifies(Buffer.concat([body, Buffer.from(' ')]), publicKey, rawEd25519Key(publicKey), signature)).toBe(false);
        const flipped = Buffer.from(signature);
        flipped[10] ^= 1;
        expect(verifies(body, publicKey, rawEd25519Key(publicKey), flipped)).toBe(false);
        expect(verifies(body, other, rawEd25519Key(other), signature)).toBe(false);
      });

      it('refuse a signature of the wrong length or with S outside the group order, without throwing', () => {
        expect(verifies(body, publicKey, rawEd25519Key(publicKey), signature.subarray(0, 63))).toBe(false);
        expect(verifies(body, publicKey, rawEd25519Key(publicKey), Buffer.alloc(0))).toBe(false);
        expect(verifies(body, publicKey, rawEd25519Key(publicKey), withNonCanonicalS(signature))).toBe(false);
      });
    });
  }
});
