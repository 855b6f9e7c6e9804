// Bad input: thousands of generated malformed, unsigned, oversized and wrongly-typed webhooks and API bodies →
// no crash, no 5xx, the right 4xx each time; signed but nonsensical events are stored and then ignored with a reason.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { locationToken } from '../helpers/session.js';
import { FULL, inParallel } from './support/world.js';

const TOTAL = FULL ? 10_000 : 1_500;
let h: Harness;
let server: Server;
let base: string;
let token: string;

beforeAll(async () => {
  h = await createHarness();
  await h.seedLocation('loc-bad');
  token = await locationToken(h, 'loc-bad');
  // Signed events that happen to make sense are acted on: HighLevel answers whatever they ask.
  h.acceptDeliveryChecks();
  h.highLevel().persist().get('/locations/loc-bad').reply(200, { location: { id: 'loc-bad', name: 'Acme', timezone: 'America/New_York' } });
  h.highLevel().persist().get('/phone-system/numbers/location/loc-bad').reply(200, { numbers: [] });
  h.highLevel().persist().get(/^\/contacts\/[^/]+$/).reply(404, { statusCode: 404, message: 'Contact not found' });
  h.highLevel().persist().get(/^\/contacts\/search\/duplicate/).reply(200, { contact: null });
  h.highLevel().persist().post('/conversations/messages').reply(201, { conversationId: 'c', messageId: 'm' });
  server = createServer(h.app.handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await h.close();
});

type Case = { name: string; method: string; path: string; body: string; headers: Record<string, string>; expect: number[] };

const json = { 'content-type': 'application/json' };
const garbageText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('{', '[1,', 'null', 'true', '"x"', '{"type":}', '\u0000'));
const wrongTyped = fc.record({
  type: fc.oneof(fc.constantFrom('InboundMessage', 'OutboundMessage', 'INSTALL', 'UNINSTALL', 'ContactDndUpdate', 'PLAN_CHANGE', 'LocationUpdate'), fc.anything()),
  locationId: fc.oneof(fc.constant('loc-bad'), fc.anything()),
  messageType: fc.oneof(fc.constantFrom('CALL', 'SMS', 'TYPE_CALL'), fc.anything()),
  direction: fc.oneof(fc.constantFrom('inbound', 'outbound'), fc.anything()),
  status: fc.anything(), callStatus: fc.anything(), contactId: fc.anything(), messageId: fc.anything(), body: fc.anything(),
  from: fc.anything(), dateAdded: fc.anything(), id: fc.anything(), dnd: fc.anything(), dndSettings: fc.anything(),
}, { requiredKeys: ['type'] });

function cases(): Case[] {
  const out: Case[] = [];
  const per = Math.ceil(TOTAL / 7);
  for (const body of fc.sample(fc.json(), per)) {
    out.push({ name: 'unsigned', method: 'POST', path: '/webhooks/highlevel', body, headers: json, expect: [401] });
  }
  for (const [body, sig] of fc.sample(fc.tuple(fc.json(), fc.string()), per)) {
    out.push({ name: 'bad signature', method: 'POST', path: '/webhooks/highlevel', body, headers: { ...json, 'x-ghl-signature': sig || 'x' }, expect: [401] });
  }
  for (const body of fc.sample(garbageText, per)) {
    // A JSON object without a (fresh) timestamp is refused: nothing would bound its replay.
    out.push({ name: 'signed garbage', method: 'POST', path: '/webhooks/highlevel', body, headers: { ...json, ...h.signatureFor(body) }, expect: isJsonObject(body) ? [401] : [400] });
  }
  for (const payload of fc.sample(wrongTyped, per)) {
    const body = JSON.stringify({ ...payload, timestamp: new Date(h.clock.now()).toISOString() });
    out.push({ name: 'signed wrong types', method: 'POST', path: '/webhooks/highlevel', body, headers: { ...json, ...h.signatureFor(body) }, expect: [200] });
  }
  for (let i = 0; i < Math.max(5, per / 50); i++) {
    const body = JSON.stringify({ type: 'InboundMessage', body: 'x'.repeat(300 * 1024 + i) });
    out.push({ name: 'oversized', method: 'POST', path: '/webhooks/highlevel', body, headers: { ...json, ...h.signatureFor(body) }, expect: [413] });
  }
  const auth = { ...json, authorization: `Bearer ${token}` };
  for (const body of fc.sample(fc.oneof(fc.json(), garbageText), per)) {
    out.push({ name: 'settings body', method: 'PUT', path: '/api/locations/loc-bad/settings', body, headers: auth, expect: [200, 400, 422] });
  }
  for (const body of fc.sample(fc.oneof(fc.json(), garbageText), per)) {
    out.push({ name: 'suppression body', method: 'POST', path: '/api/locations/loc-bad/suppressions', body, headers: auth, expect: [201, 200, 400, 422] });
  }
  for (const body of fc.sample(fc.oneof(fc.json(), garbageText), per)) {
    // Rate limited per client after 30 a minute: 429 is the right answer then.
    out.push({ name: 'session body', method: 'POST', path: '/api/session', body, headers: json, expect: [400, 401, 403, 422, 429] });
  }
  return out;
}

function isJsonObject(text: string): boolean {
  try {
    const value = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  } catch {
    return false;
  }
}

describe('bad input', () => {
  it(`when ${TOTAL} malformed, unsigned, oversized and wrongly-typed requests arrive, then each gets its 4xx and nothing breaks`, async () => {
    const all = cases();
    const wrong: string[] = [];
    const statuses = new Map<number, number>();
    await inParallel(all, 32, async (c) => {
      let status: number;
      try {
        const res = await fetch(base + c.path, { method: c.method, body: c.body, headers: c.headers });
        await res.arrayBuffer();
        status = res.status;
      } catch (error) {
        status = 413; // the server may close an oversized upload before reading it all
        if (c.name !== 'oversized') throw error;
      }
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (!c.expect.includes(status)) wrong.push(`${c.name}: ${status} for ${c.body.slice(0, 80)}`);
    });
    // Every stored event is then processed without a single job failing.
    await h.runJobs();
    const failed = h.app.db.prepare(`SELECT kind, last_error FROM jobs WHERE status IN ('failed') OR (status = 'pending' AND attempts > 0)`).all();
    console.log(`bad input: ${all.length} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}, failed jobs ${failed.length}`);
    expect(wrong.slice(0, 10)).toEqual([]);
    expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
    expect(failed).toEqual([]);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  }, FULL ? 600_000 : 120_000);
});
