// Tests the memory of opened secrets: a sealed value is opened once, per context; failures are never remembered; the
// memory is bounded.
import { describe, expect, it } from 'vitest';
import { createSecretBox, generateKey, SecretBoxError, type SecretBox } from '../../src/lib/crypto.js';
import { rememberOpenedSecrets } from '../../src/lib/opened-secrets.js';

/** The real box, counting how often it is asked to open. */
function countingBox(): SecretBox & { opens: () => number } {
  const box = createSecretBox(generateKey());
  let opens = 0;
  return {
    seal: (plaintext, context) => box.seal(plaintext, context),
    open: (sealed, context) => { opens += 1; return box.open(sealed, context); },
    opens: () => opens,
  };
}

describe('rememberOpenedSecrets', () => {
  it('when the same sealed value is opened again with the same context, then the box opens it once', () => {
    const inner = countingBox();
    const box = rememberOpenedSecrets(inner);
    const sealed = box.seal('access-token', 'loc_1');
    expect(box.open(sealed, 'loc_1')).toBe('access-token');
    expect(box.open(sealed, 'loc_1')).toBe('access-token');
    expect(inner.opens()).toBe(1);
    // A rotated token is a new sealed value: opened afresh.
    expect(box.open(box.seal('access-token-2', 'loc_1'), 'loc_1')).toBe('access-token-2');
    expect(inner.opens()).toBe(2);
  });

  it('when a remembered value is asked for under another context, or none, then it fails as the box does, every time', () => {
    const inner = countingBox();
    const box = rememberOpenedSecrets(inner);
    const sealed = box.seal('token', 'loc_1');
    expect(box.open(sealed, 'loc_1')).toBe('token');
    for (let i = 0; i < 2; i += 1) {
      expect(() => box.open(sealed, 'loc_2')).toThrow(SecretBoxError);
      expect(() => box.open(sealed)).toThrow(SecretBoxError);
      expect(() => box.open(sealed, '')).toThrow(SecretBoxError);
    }
    expect(inner.opens()).toBe(7);
  });

  it('when a value sealed without a context is opened, then an empty context is still another context', () => {
    const box = rememberOpenedSecrets(countingBox());
    const sealed = box.seal('secret');
    expect(box.open(sealed)).toBe('secret');
    expect(() => box.open(sealed, '')).toThrow(SecretBoxError);
  });

  it('when more values than the limit were opened, then the memory starts over and every answer stays right', () => {
    const inner = countingBox();
    const box = rememberOpenedSecrets(inner, 3);
    const sealed = ['a', 'b', 'c', 'd'].map((plaintext) => box.seal(plaintext, 'ctx'));
    expect(sealed.map((value) => box.open(value, 'ctx'))).toEqual(['a', 'b', 'c', 'd']);
    expect(inner.opens()).toBe(4);
    expect(box.open(sealed[3], 'ctx')).toBe('d'); // remembered after the restart
    expect(box.open(sealed[0], 'ctx')).toBe('a'); // forgotten: opened again
    expect(inner.opens()).toBe(5);
  });
});
