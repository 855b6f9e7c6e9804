// Tests the at-rest secret box: round trips, context binding, tamper and wrong-key detection, key validation.
import { describe, expect, it } from 'vitest';
import { createSecretBox, generateKey, SecretBoxError } from '../../src/lib/crypto.js';

const key = generateKey();
const box = createSecretBox(key);

function flipFirstChar(part: string): string {
  return (part[0] === 'A' ? 'B' : 'A') + part.slice(1);
}

describe('createSecretBox', () => {
  it('when a token is sealed and opened with the same key and context, then the plaintext comes back', () => {
    const sealed = box.seal('refresh-token-é-✓', 'loc_123');
    expect(box.open(sealed, 'loc_123')).toBe('refresh-token-é-✓');
  });

  it('when sealing without a context, then opening without a context works', () => {
    expect(box.open(box.seal('secret'))).toBe('secret');
  });

  it('when an empty string is sealed, then it round-trips', () => {
    expect(box.open(box.seal('', 'c'), 'c')).toBe('');
  });

  it('when sealing, then the output is v1.<iv>.<tag>.<ciphertext> in base64url with a 12-byte iv and 16-byte tag', () => {
    const sealed = box.seal('hello', 'ctx');
    const parts = sealed.split('.');
    expect(parts).toHaveLength(4);
    expect(parts[0]).toBe('v1');
    for (const part of parts.slice(1)) expect(part).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(parts[1], 'base64url')).toHaveLength(12);
    expect(Buffer.from(parts[2], 'base64url')).toHaveLength(16);
    expect(Buffer.from(parts[3], 'base64url')).toHaveLength(5);
  });

  it('when the same plaintext is sealed twice, then the IVs and outputs differ', () => {
    const a = box.seal('same', 'ctx');
    const b = box.seal('same', 'ctx');
    expect(a).not.toBe(b);
    expect(a.split('.')[1]).not.toBe(b.split('.')[1]);
  });

  it('when a value sealed for one location is opened for another, then SecretBoxError is thrown', () => {
    const sealed = box.seal('token', 'loc_A');
    expect(() => box.open(sealed, 'loc_B')).toThrow(SecretBoxError);
  });

  it('when a value sealed with a context is opened without one (or vice versa), then SecretBoxError is thrown', () => {
    expect(() => box.open(box.seal('token', 'loc_A'))).toThrow(SecretBoxError);
    expect(() => box.open(box.seal('token'), '')).toThrow(SecretBoxError);
    expect(() => box.open(box.seal('token', ''))).toThrow(SecretBoxError);
  });

  it('when opened with another key, then SecretBoxError is thrown', () => {
    const other = createSecretBox(generateKey());
    expect(() => other.open(box.seal('token', 'c'), 'c')).toThrow(SecretBoxError);
  });

  it('when the iv, tag or ciphertext is altered, then SecretBoxError is thrown', () => {
    const parts = box.seal('a longer secret value', 'c').split('.');
    for (const index of [1, 2, 3]) {
      const tampered = [...parts];
      tampered[index] = flipFirstChar(tampered[index]);
      expect(() => box.open(tampered.join('.'), 'c')).toThrow(SecretBoxError);
    }
  });

  it('when the sealed value is malformed, then SecretBoxError is thrown (never another error)', () => {
    const sealed = box.seal('x', 'c');
    const bad = ['', 'v1', 'v2' + sealed.slice(2), sealed + '.extra', sealed.replace(/\./g, ','), 'v1.!!.!!.!!',
      `v1.${Buffer.alloc(11).toString('base64url')}.${sealed.split('.')[2]}.${sealed.split('.')[3]}`];
    for (const value of bad) expect(() => box.open(value, 'c')).toThrow(SecretBoxError);
  });

  it('when the key does not decode to 32 bytes, then creation throws a clear error without echoing the key', () => {
    const short = Buffer.alloc(16, 1).toString('base64');
    expect(() => createSecretBox(short)).toThrow(/exactly 32 bytes/);
    expect(() => createSecretBox('')).toThrow(/exactly 32 bytes/);
    expect(() => createSecretBox('not base64 at all!!')).toThrow(/exactly 32 bytes/);
    expect(() => createSecretBox(Buffer.alloc(33).toString('base64'))).toThrow(/exactly 32 bytes/);
    try {
      createSecretBox(short);
    } catch (error) {
      expect((error as Error).message).not.toContain(short);
    }
  });

  it('when the key is given as base64url, then it is accepted and interoperates with the base64 form', () => {
    const raw = Buffer.alloc(32, 0xfb);
    const sealed = createSecretBox(raw.toString('base64')).seal('x', 'c');
    expect(createSecretBox(raw.toString('base64url')).open(sealed, 'c')).toBe('x');
  });

  it('when generating keys, then each is base64 of 32 random bytes', () => {
    const a = generateKey();
    expect(Buffer.from(a, 'base64')).toHaveLength(32);
    expect(a).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(generateKey()).not.toBe(a);
  });
});
