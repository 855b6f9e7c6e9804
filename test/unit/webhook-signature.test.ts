// Tests webhook signature verification (Ed25519 x-ghl-signature, RSA x-wh-signature), key parsing and default keys.
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createWebhookVerifier,
  loadDefaultWebhookKeys,
  parsePublicKeys,
} from '../../src/highlevel/webhook-signature.js';
import {
  generateRsaWebhookKeyPair,
  generateWebhookKeyPair,
  signWebhookBody,
} from '../../src/highlevel/webhook-signer.js';

const ed = generateWebhookKeyPair();
const rsa = generateRsaWebhookKeyPair();
const verify = createWebhookVerifier(parsePublicKeys(ed.publicKeyPem + rsa.publicKeyPem));

// Shaped like a real delivery: HighLevel's InboundMessage CALL sample plus the envelope, pretty-printed, non-ASCII.
const realBody = Buffer.from(
  JSON.stringify(
    {
      type: 'InboundMessage',
      locationId: 'l1C08ntBrFjLS0elLIYU',
      attachments: [],
      contactId: 'cI08i1Bls3iTB9bKgFJh',
      conversationId: 'fcanlLgpbQgQhderivVs',
      dateAdded: '2024-05-08T12:07:34.000Z',
      direction: 'inbound',
      messageType: 'CALL',
      status: 'voicemail',
      callStatus: 'voicemail',
      callDuration: 0,
      from: '+15551234567',
      to: '+15559876543',
      messageTypeString: 'TYPE_CALL',
      body: 'Café «Zürich» ☎',
      appId: '6650a1b2c3d4e5f6a7b8c9d0',
      timestamp: '2024-05-08T12:07:35.123Z',
      webhookId: 'e3b0c442-98fc-1c14-9afb-f4c8996fb924',
    },
    null,
    2,
  ),
  'utf8',
);

function headersFor(body: Buffer | string, key: KeyObject): Record<string, string> {
  const { header, signature } = signWebhookBody(body, key);
  return { [header]: signature };
}

function otherSignature(body: Buffer): string {
  return signWebhookBody(body, generateWebhookKeyPair().privateKey).signature;
}

describe('createWebhookVerifier', () => {
  it('when the body carries a valid x-ghl-signature, then it is accepted as ed25519', async () => {
    expect(await verify(realBody, headersFor(realBody, ed.privateKey))).toEqual({ ok: true, scheme: 'ed25519' });
  });

  it('when the body carries a valid legacy x-wh-signature, then it is accepted as rsa-sha256', async () => {
    expect(await verify(realBody, headersFor(realBody, rsa.privateKey))).toEqual({ ok: true, scheme: 'rsa-sha256' });
  });

  it('when no signature header is present (or it is empty), then the result is missing', async () => {
    expect(await verify(realBody, {})).toEqual({ ok: false, reason: 'missing' });
    expect(await verify(realBody, { 'x-ghl-signature': '', 'x-wh-signature': '  ' })).toEqual({ ok: false, reason: 'missing' });
  });

  it('when one byte of the body changes, then both schemes reject it', async () => {
    const tampered = Buffer.from(realBody);
    tampered[tampered.length - 3] ^= 0x01;
    expect(await verify(tampered, headersFor(realBody, ed.privateKey))).toEqual({ ok: false, reason: 'invalid' });
    expect(await verify(tampered, headersFor(realBody, rsa.privateKey))).toEqual({ ok: false, reason: 'invalid' });
  });

  it('when the JSON is re-serialized with different whitespace, then the signature no longer verifies (raw bytes only)', async () => {
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(realBody.toString('utf8'))));
    expect((await verify(reserialized, headersFor(realBody, ed.privateKey))).ok).toBe(false);
  });

  it('when signed by a key that is not configured, then it is invalid for both schemes', async () => {
    expect(await verify(realBody, { 'x-ghl-signature': otherSignature(realBody) })).toEqual({ ok: false, reason: 'invalid' });
    const strangerRsa = generateRsaWebhookKeyPair();
    expect(await verify(realBody, headersFor(realBody, strangerRsa.privateKey))).toEqual({ ok: false, reason: 'invalid' });
  });

  it('when a signature is sent under the other scheme header, then it is invalid', async () => {
    const edSig = signWebhookBody(realBody, ed.privateKey).signature;
    const rsaSig = signWebhookBody(realBody, rsa.privateKey).signature;
    expect(await verify(realBody, { 'x-wh-signature': edSig })).toEqual({ ok: false, reason: 'invalid' });
    expect(await verify(realBody, { 'x-ghl-signature': rsaSig })).toEqual({ ok: false, reason: 'invalid' });
  });

  it('when the signature is malformed base64, then it is invalid and nothing throws', async () => {
    const good = signWebhookBody(realBody, ed.privateKey).signature;
    const malformed = ['!!!!', 'abc', good.slice(1), good + 'A', `${good.slice(0, 10)}*${good.slice(11)}`, 'A'.repeat(5000)];
    for (const value of malformed) {
      expect(await verify(realBody, { 'x-ghl-signature': value })).toEqual({ ok: false, reason: 'invalid' });
      expect(await verify(realBody, { 'x-wh-signature': value })).toEqual({ ok: false, reason: 'invalid' });
    }
  });

  it('when a signature header is repeated (array), then it is invalid', async () => {
    const good = signWebhookBody(realBody, ed.privateKey).signature;
    expect(await verify(realBody, { 'x-ghl-signature': [good, good] })).toEqual({ ok: false, reason: 'invalid' });
  });

  it('when both headers are present and both valid, then x-ghl-signature wins', async () => {
    const headers = { ...headersFor(realBody, ed.privateKey), ...headersFor(realBody, rsa.privateKey) };
    expect(await verify(realBody, headers)).toEqual({ ok: true, scheme: 'ed25519' });
  });

  it('when x-ghl-signature fails but x-wh-signature is valid, then it falls back to rsa-sha256', async () => {
    const headers = { 'x-ghl-signature': otherSignature(realBody), ...headersFor(realBody, rsa.privateKey) };
    expect(await verify(realBody, headers)).toEqual({ ok: true, scheme: 'rsa-sha256' });
  });

  it('when x-ghl-signature is valid and x-wh-signature is garbage, then it is accepted as ed25519', async () => {
    const headers = { ...headersFor(realBody, ed.privateKey), 'x-wh-signature': 'garbage' };
    expect(await verify(realBody, headers)).toEqual({ ok: true, scheme: 'ed25519' });
  });

  it('when several Ed25519 keys are configured (rotation), then a signature by any of them verifies', async () => {
    const next = generateWebhookKeyPair();
    const rotating = createWebhookVerifier(parsePublicKeys(ed.publicKeyPem + next.publicKeyPem));
    expect((await rotating(realBody, headersFor(realBody, ed.privateKey))).ok).toBe(true);
    expect((await rotating(realBody, headersFor(realBody, next.privateKey))).ok).toBe(true);
  });

  it('when only Ed25519 keys are configured, then a legacy RSA signature is invalid', async () => {
    const edOnly = createWebhookVerifier(parsePublicKeys(ed.publicKeyPem));
    expect(await edOnly(realBody, headersFor(realBody, rsa.privateKey))).toEqual({ ok: false, reason: 'invalid' });
  });

  it('when the body is empty, then a signature over the empty body verifies and a non-empty one does not', async () => {
    const empty = Buffer.alloc(0);
    expect((await verify(empty, headersFor(empty, ed.privateKey))).ok).toBe(true);
    expect((await verify(empty, headersFor(realBody, ed.privateKey))).ok).toBe(false);
  });

  it('when given no keys, private keys or unsupported key types, then creation throws', async () => {
    expect(() => createWebhookVerifier([])).toThrow(/no public keys/);
    expect(() => createWebhookVerifier([ed.privateKey])).toThrow(/public keys/);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    expect(() => createWebhookVerifier([ec])).toThrow(/unsupported/);
  });

  it('when checked inline (on the event loop), then every verdict is the thread pool\'s', async () => {
    const tampered = Buffer.from(realBody);
    tampered[10] ^= 1;
    const cases: [Buffer, Record<string, string | string[]>][] = [
      [realBody, headersFor(realBody, ed.privateKey)],
      [realBody, headersFor(realBody, rsa.privateKey)],
      [tampered, headersFor(realBody, ed.privateKey)],
      [tampered, headersFor(realBody, rsa.privateKey)],
      [realBody, { 'x-ghl-signature': otherSignature(realBody) }],
      [realBody, { 'x-ghl-signature': 'not base64!' }],
      [realBody, { 'x-ghl-signature': headersFor(realBody, rsa.privateKey)['x-wh-signature'] }],
      [realBody, { 'x-wh-signature': headersFor(realBody, ed.privateKey)['x-ghl-signature'] }],
      [realBody, { 'x-ghl-signature': [headersFor(realBody, ed.privateKey)['x-ghl-signature']] }],
      [realBody, {}],
    ];
    const verdicts = await Promise.all(cases.map(async ([body, headers]) => [await verify(body, headers), await verify(body, headers, { inline: true })]));
    for (const [pooled, inline] of verdicts) expect(inline).toEqual(pooled);
    expect(verdicts.map(([, inline]) => (inline.ok ? inline.scheme : inline.reason))).toEqual(['ed25519', 'rsa-sha256', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'missing']);
  });

  it('when many deliveries are verified at once (on the thread pool), then each gets its own verdict', async () => {
    // Every third one carries the signature of its neighbour's body: it alone must fail, whatever order they finish in.
    const results = await Promise.all(Array.from({ length: 300 }, async (_, i) => {
      const body = Buffer.from(`{"webhookId":"${i}","type":"InboundMessage"}`);
      const signed = i % 3 === 2 ? Buffer.from(`{"webhookId":"${i - 1}","type":"InboundMessage"}`) : body;
      return (await verify(body, headersFor(signed, ed.privateKey))).ok;
    }));
    expect(results).toEqual(Array.from({ length: 300 }, (_, i) => i % 3 !== 2));
  });
});

describe('parsePublicKeys', () => {
  it('when given concatenated Ed25519 and RSA PEM blocks, then each becomes a key of its type', () => {
    const keys = parsePublicKeys(`${ed.publicKeyPem}\n# comment between blocks\n${rsa.publicKeyPem}`);
    expect(keys.map((k) => k.asymmetricKeyType)).toEqual(['ed25519', 'rsa']);
  });

  it('when given a bare base64 SPKI DER string (or a comma-separated list), then it is parsed', () => {
    const der = createPublicKey(ed.publicKeyPem).export({ type: 'spki', format: 'der' }).toString('base64');
    expect(parsePublicKeys(der)[0].asymmetricKeyType).toBe('ed25519');
    const rsaDer = createPublicKey(rsa.publicKeyPem).export({ type: 'spki', format: 'der' }).toString('base64');
    expect(parsePublicKeys(`${der}, ${rsaDer}`).map((k) => k.asymmetricKeyType)).toEqual(['ed25519', 'rsa']);
  });

  it('when the PEM arrives with literal \\n sequences (env var style), then it is parsed', () => {
    const escaped = ed.publicKeyPem.replace(/\n/g, '\\n');
    expect(parsePublicKeys(escaped)).toHaveLength(1);
  });

  it('when given a PKCS#1 "RSA PUBLIC KEY" block, then it is accepted', () => {
    const pkcs1 = createPublicKey(rsa.publicKeyPem).export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(parsePublicKeys(pkcs1)[0].asymmetricKeyType).toBe('rsa');
  });

  it('when given garbage, then it throws a clear error', () => {
    expect(() => parsePublicKeys('')).toThrow(/empty/);
    expect(() => parsePublicKeys('hello world!')).toThrow(/neither PEM nor base64/);
    expect(() => parsePublicKeys('aGVsbG8=')).toThrow(/not a valid public key/);
    expect(() => parsePublicKeys('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----')).toThrow(/not a valid public key/);
    expect(() => parsePublicKeys('-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA')).toThrow(/no complete PEM block/);
  });

  it('when given a private key or an unsupported key type, then it throws', () => {
    const privatePem = ed.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => parsePublicKeys(privatePem)).toThrow(/expected a public key/);
    const ecPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' });
    expect(() => parsePublicKeys(ecPem.toString())).toThrow(/unsupported key type "ec"/);
  });
});

describe('loadDefaultWebhookKeys', () => {
  it('when loaded, then it yields HighLevel\'s published Ed25519 key and a 4096-bit RSA key', () => {
    const keys = parsePublicKeys(loadDefaultWebhookKeys());
    expect(keys.map((k) => k.asymmetricKeyType)).toEqual(['ed25519', 'rsa']);
    expect(keys[0].export({ type: 'spki', format: 'der' }).toString('base64')).toBe(
      'MCowBQYDK2VwAyEAi2HR1srL4o18O8BRa7gVJY7G7bupbN3H9AwJrHCDiOg=',
    );
    expect(keys[1].asymmetricKeyDetails?.modulusLength).toBe(4096);
  });

  it('when a body is signed by a locally generated key, then the default verifier rejects it', async () => {
    const defaults = createWebhookVerifier(parsePublicKeys(loadDefaultWebhookKeys()));
    expect(await defaults(realBody, headersFor(realBody, ed.privateKey))).toEqual({ ok: false, reason: 'invalid' });
    expect(await defaults(realBody, headersFor(realBody, rsa.privateKey))).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('signWebhookBody', () => {
  it('when signing a string or the equal Buffer, then the Ed25519 signature is identical (deterministic)', () => {
    expect(signWebhookBody('abc', ed.privateKey)).toEqual(signWebhookBody(Buffer.from('abc'), ed.privateKey));
  });

  it('when given an unsupported key type, then it throws', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    expect(() => signWebhookBody('x', ec)).toThrow(/ed25519 or rsa/);
  });
});
