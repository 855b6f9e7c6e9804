// Signatures checked in batches on a thread of the app's own: every answer is the one crypto.verify gives, however
// many checks one turn asks for, and none is lost when the thread goes away with checks on it.
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookVerifier, parsePublicKeys } from '../../src/highlevel/webhook-signature.js';
import { createVerifyThread, type VerifyThread } from '../../src/highlevel/verify-thread.js';
import { generateRsaWebhookKeyPair, generateWebhookKeyPair, signWebhookBody } from '../../src/highlevel/webhook-signer.js';

const ed = generateWebhookKeyPair();
const rsa = generateRsaWebhookKeyPair();
const keys = parsePublicKeys(ed.publicKeyPem + rsa.publicKeyPem);

/** `count` deliveries, every third one tampered with after signing, alternately signed with Ed25519 and RSA. */
function deliveries(count: number) {
  return Array.from({ length: count }, (_, i) => {
    const body = Buffer.from(JSON.stringify({ type: 'InboundMessage', webhookId: `wh-${i}`, body: 'Café ☎'.repeat(i % 7) }));
    const rsaSigned = i % 2 === 1;
    const { signature } = signWebhookBody(body, rsaSigned ? rsa.privateKey : ed.privateKey);
    const sent = i % 3 === 2 ? Buffer.concat([body, Buffer.from(' ')]) : body;
    return { body: sent, headers: rsaSigned ? { 'x-wh-signature': signature } : { 'x-ghl-signature': signature }, valid: i % 3 !== 2 };
  });
}

describe('the signature thread', () => {
  let thread: VerifyThread | null = null;
  afterEach(async () => { await thread?.stop(); thread = null; });

  it('when one turn asks for more checks than a batch holds, then each gets the answer crypto.verify gives', async () => {
    thread = createVerifyThread(keys, { maxBatch: 16 });
    const verify = createWebhookVerifier(keys, { check: thread.check });
    const sent = deliveries(75);
    const answers = await Promise.all(sent.map((each) => verify(each.body, each.headers)));
    expect(answers.map((answer) => answer.ok)).toEqual(sent.map((each) => each.valid));
    expect(answers.filter((answer) => answer.ok).map((answer) => answer.ok && answer.scheme))
      .toEqual(sent.filter((each) => each.valid).map((each) => ('x-wh-signature' in each.headers ? 'rsa-sha256' : 'ed25519')));
  });

  it('when a key it was not given is asked about, then that check is made through the pool, with the same answer', async () => {
    thread = createVerifyThread(keys.slice(1));
    const verify = createWebhookVerifier(keys, { check: thread.check });
    const [good, , bad] = deliveries(3);
    expect((await verify(good.body, good.headers)).ok).toBe(true);
    expect((await verify(bad.body, bad.headers)).ok).toBe(false);
  });

  it('when the thread is stopped with checks on it, then every check is still answered, through the pool', async () => {
    thread = createVerifyThread(keys);
    const verify = createWebhookVerifier(keys, { check: thread.check });
    const sent = deliveries(40);
    const answers = sent.map((each) => verify(each.body, each.headers));
    // Sent to the thread at the end of this turn; stopped while it works on them.
    await new Promise(setImmediate);
    await thread.stop();
    expect((await Promise.all(answers)).map((answer) => answer.ok)).toEqual(sent.map((each) => each.valid));
    const [after] = deliveries(1);
    expect((await verify(after.body, after.headers)).ok).toBe(true);
  });

  it('when a signature is not a valid one for any key type, then the answer is false, never an error', async () => {
    thread = createVerifyThread(keys);
    const verify = createWebhookVerifier(keys, { check: thread.check });
    const other = generateKeyPairSync('ed25519');
    const body = Buffer.from('{"type":"InboundMessage"}');
    const { signature } = signWebhookBody(body, other.privateKey);
    const answers = await Promise.all([
      verify(body, { 'x-ghl-signature': signature }),
      verify(body, { 'x-wh-signature': signature }),
      verify(body, { 'x-ghl-signature': Buffer.alloc(64).toString('base64') }),
    ]);
    expect(answers).toEqual([{ ok: false, reason: 'invalid' }, { ok: false, reason: 'invalid' }, { ok: false, reason: 'invalid' }]);
  });
});
