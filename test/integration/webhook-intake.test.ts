// POST /webhooks/highlevel from outside: signatures, timestamps, malformed and oversized bodies, dedupe, storage.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateRsaWebhookKeyPair, generateWebhookKeyPair, signWebhookBody } from '../../src/highlevel/webhook-signer.js';
import { createHarness, missedCall, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeEach(async () => { h = await createHarness(); await h.seedLocation('loc-1'); });
afterEach(async () => { await h.close(); });

const jobs = async () => await h.sql.value(`SELECT COUNT(*) FROM jobs WHERE kind = 'highlevel-event'`);
const event = () => missedCall({ locationId: 'loc-1', contactId: 'c-1', from: '+12125550147' });

function post(body: string, headers: Record<string, string>) {
  const req = h.http.post('/webhooks/highlevel').set('content-type', 'application/json');
  for (const [k, v] of Object.entries(headers)) req.set(k, v);
  return req.send(body);
}

describe('webhook signatures', () => {
  it('when the Ed25519 signature is valid, then the event is stored and acknowledged with 200', async () => {
    const res = await h.webhook(event());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'stored' });
    expect(await jobs()).toBe(1);
  });

  it('when the signature is missing, then 401 and nothing is stored', async () => {
    expect((await h.webhook(event(), { sign: false })).status).toBe(401);
    expect(await jobs()).toBe(0);
  });

  it('when the body was tampered with after signing, then 401', async () => {
    const body = JSON.stringify({ ...event(), timestamp: new Date(h.clock.now()).toISOString(), webhookId: 'w1' });
    const { signature } = signWebhookBody(body, generateWebhookKeyPair().privateKey);
    const tampered = body.replace('loc-1', 'loc-2');
    expect((await post(tampered, { 'x-ghl-signature': signature })).status).toBe(401);
    expect(await jobs()).toBe(0);
  });

  it('when the signature was made with another key, then 401', async () => {
    const body = JSON.stringify({ ...event(), webhookId: 'w2' });
    const { signature } = signWebhookBody(body, generateWebhookKeyPair().privateKey);
    expect((await post(body, { 'x-ghl-signature': signature })).status).toBe(401);
  });

  it('when the signature is garbage, then 401 (and for the legacy RSA header too)', async () => {
    const body = JSON.stringify(event());
    expect((await post(body, { 'x-ghl-signature': 'not-base64!!' })).status).toBe(401);
    const { signature } = signWebhookBody(body, generateRsaWebhookKeyPair().privateKey);
    expect((await post(body, { 'x-wh-signature': signature })).status).toBe(401);
  });
});

describe('webhook envelope', () => {
  it('when the timestamp is more than 2 hours old or more than 5 minutes ahead, then 401; within that, 200', async () => {
    const at = (offsetMs: number) => new Date(h.clock.now() + offsetMs).toISOString();
    expect((await h.webhook({ ...event(), timestamp: at(-2 * 60 * 60_000 - 1_000) })).status).toBe(401);
    expect((await h.webhook({ ...event(), timestamp: at(6 * 60_000) })).status).toBe(401);
    expect((await h.webhook({ ...event(), timestamp: 'not a date' })).status).toBe(401);
    expect((await h.webhook({ ...event(), timestamp: at(-119 * 60_000) })).status).toBe(200);
    expect((await h.webhook({ ...event(), timestamp: at(4 * 60_000) })).status).toBe(200);
    expect(await jobs()).toBe(2);
  });

  it('when a signed event has no timestamp, then 401, nothing is stored and the log names only its type', async () => {
    const res = await h.webhook({ ...event(), from: '+12125550147', timestamp: undefined });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'undated' });
    expect(await jobs()).toBe(0);
    const line = h.logs.find((l) => l.includes('without a timestamp'));
    expect(line).toBeDefined();
    expect(JSON.parse(line!).type).toBe('InboundMessage');
    expect(line).not.toMatch(/loc-1|c-1|5550147|webhookId/);
  });

  it('when the body is not JSON or not an object, then 400', async () => {
    // Signed with the harness key: the signature is right, the content is not.
    for (const raw of ['not json', '[1,2]', 'null', '"text"', '{"type":']) {
      expect((await h.signedRaw(raw)).status, raw).toBe(400);
    }
  });

  it('when the body is over the limit, then 413', async () => {
    const huge = JSON.stringify({ ...event(), body: 'x'.repeat(300 * 1024) });
    const res = await h.signedRaw(huge);
    expect(res.status).toBe(413);
  });

  it('when the same webhookId arrives again, then 200 and it is stored once', async () => {
    const payload = { ...event(), webhookId: 'same-id' };
    const answers = await Promise.all(Array.from({ length: 20 }, () => h.webhook(payload)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.filter((a) => a.body.status === 'stored')).toHaveLength(1);
    expect(await jobs()).toBe(1);
  });


  it('when a body is laid out in its own way, then the queue keeps it as received unless it lists attachments or escapes what need not be', async () => {
    const fields = { ...event(), attachments: [], timestamp: new Date(h.clock.now()).toISOString(), webhookId: 'laid-out', note: 'Café ☎ \u2028 "quoted"\n' };
    const raw = JSON.stringify(fields, null, 2);
    expect((await h.signedRaw(raw)).status).toBe(200);
    const payloadOf = async (webhookId: string) => String(await h.sql.value(`SELECT payload FROM jobs WHERE kind = 'highlevel-event' AND payload LIKE ?`, `%${webhookId}%`));
    expect(await payloadOf('laid-out')).toBe(raw);

    const withRecording = { ...fields, webhookId: 'with-recording', attachments: ['https://example.com/rec.mp3'] };
    expect((await h.signedRaw(JSON.stringify(withRecording, null, 2))).status).toBe(200);
    const { attachments: _dropped, ...withoutRecording } = withRecording;
    expect(await payloadOf('with-recording')).toBe(JSON.stringify(withoutRecording));

    // The caller's number escaped character by character: stored as JSON.stringify writes it, so it can be found.
    const escaped = JSON.stringify({ ...fields, webhookId: 'escaped' }).replace('+12125550147', '\\u002B12125550147');
    expect((await h.signedRaw(escaped)).status).toBe(200);
    expect(JSON.parse(await payloadOf('escaped'))).toEqual({ ...fields, webhookId: 'escaped' });
    expect(await payloadOf('escaped')).toContain('"+12125550147"');
  });

  it('when the event type is one the app does not use, then 200 without storing it', async () => {
    const res = await h.webhook({ type: 'ContactTagUpdate', locationId: 'loc-1' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ignored' });
    expect(await jobs()).toBe(0);
  });

  it('when the database cannot store the event, then 429 so HighLevel redelivers', async () => {
    const allowInserts = await h.refuseInserts('jobs');
    expect((await h.webhook(event())).status).toBe(429);
    await allowInserts();
  });
});

