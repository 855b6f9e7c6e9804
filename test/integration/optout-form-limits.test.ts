// The public opt-out form is limited per client (an IPv6 /64 is one client) and per sub-account, with counters in the
// database so several instances enforce one limit; past the sub-account's cap it sends people to STOP by text. The
// personalised link in HELP answers opts its number out with one button press, even past the cap.
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import supertest from 'supertest';
import { createHarness, inboundSms, type Harness } from '../helpers/harness.js';
import { composeApp, openConfiguredStorage, type ComposedApp } from '../../src/compose.js';
import { createLogger } from '../../src/lib/logger.js';
import { HOUR, MINUTE } from '../../src/lib/clock.js';

const LOC = 'loc-acme';
const OTHER = 'loc-other';
const CALLER = '+12125550147';
let h: Harness;
let texts: { to: string; message: string }[];
const instances: ComposedApp[] = [];

beforeEach(async () => {
  h = await createHarness();
  texts = [];
  h.acceptDeliveryChecks();
  h.highLevel().persist().post('/conversations/messages', (body) => { texts.push({ to: body.toNumber, message: body.message }); return true; })
    .reply(201, () => ({ conversationId: 'conv-1', messageId: `msg-${texts.length}` }));
  await h.seedLocation(LOC);
  await h.seedLocation(OTHER, { name: 'Other Co' });
});
afterEach(async () => {
  for (const app of instances.splice(0)) await app.stop();
  await h.close();
});

/** A number nobody knows, different for each n. */
const numberFor = (n: number) => `+1312555${String(1000 + n).padStart(4, '0')}`;
const suppressed = async (locationId = LOC) => await h.sql.value('SELECT COUNT(*) FROM suppressions WHERE location_id = ?', locationId) as number;
const optOut = (phone: string, ip: string, locationId = LOC, http = h.http) =>
  http.post(`/optout/${locationId}`).set('x-forwarded-for', ip).type('form').send({ phone });

/** A second app instance on the same database (file, or PostgreSQL's DATABASE_URL), as a second server behind the load balancer would be. */
async function secondInstance(): Promise<ReturnType<typeof supertest>> {
  const quiet = createLogger({ level: 'silent', destination: new Writable({ write(_c, _e, done) { done(); } }) });
  const app = composeApp({ config: h.config, clock: h.clock, logger: quiet, ...await openConfiguredStorage(h.config, { clock: h.clock }) });
  instances.push(app);
  return supertest(app.handler);
}

describe('the form never writes into HighLevel', () => {
  it('when a number is typed into the form, then it is suppressed in TextBack (source web) and HighLevel is not asked anything', async () => {
    const before = h.recorded.length;
    expect((await optOut(CALLER, '203.0.113.7')).status).toBe(200);
    expect(await h.sql.value('SELECT source FROM suppressions WHERE location_id = ? AND phone = ?', LOC, CALLER)).toBe('web');
    await h.runJobs();
    expect(h.recorded.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });
});

describe('per client', () => {
  it('when one IPv6 /64 submits from many of its addresses, then they share one limit; another /64 is not affected', async () => {
    for (let i = 0; i < 5; i++) expect((await optOut(numberFor(i), `2001:db8:7:42::${i + 1}`)).status).toBe(200);
    const limited = await optOut(numberFor(5), '2001:db8:7:42:ffff:ffff:ffff:fff0');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await optOut(numberFor(6), '2001:db8:7:43::1')).status).toBe(200);
    expect(await suppressed()).toBe(6);
  });

  it('when two app instances share the database, then a client gets 5 submissions in all, not 5 from each', async () => {
    const other = await secondInstance();
    const answers: number[] = [];
    for (let i = 0; i < 8; i++) answers.push((await optOut(numberFor(i), '198.51.100.20', LOC, i % 2 === 0 ? h.http : other)).status);
    expect(answers).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    expect(await suppressed()).toBe(5);
  });
});

describe('per sub-account', () => {
  it('when more than 20 numbers are typed for one sub-account within an hour, from many clients, then the form says to text STOP and changes nothing', async () => {
    for (let i = 0; i < 20; i++) expect((await optOut(numberFor(i), `203.0.113.${i + 1}`)).status).toBe(200);
    const capped = await optOut(CALLER, '192.0.2.77');
    expect(capped.status).toBe(429);
    expect(capped.text).toContain('reply STOP');
    expect(await h.sql.value('SELECT COUNT(*) FROM suppressions WHERE phone = ?', CALLER)).toBe(0);
    expect(await suppressed()).toBe(20);

    // Another sub-account's form is not affected, nor is this one an hour later.
    expect((await optOut(CALLER, '192.0.2.78', OTHER)).status).toBe(200);
    h.clock.advance(HOUR + MINUTE);
    expect((await optOut(CALLER, '192.0.2.79')).status).toBe(200);
    expect(await suppressed()).toBe(21);
  });

  it('when the cap is reached through two instances, then neither takes more', async () => {
    const other = await secondInstance();
    for (let i = 0; i < 20; i++) expect((await optOut(numberFor(i), `203.0.113.${i + 1}`, LOC, i % 2 ? other : h.http)).status).toBe(200);
    expect((await optOut(CALLER, '192.0.2.77', LOC, other)).status).toBe(429);
    expect((await optOut(CALLER, '192.0.2.78', LOC, h.http)).status).toBe(429);
  });
});

describe('the personalised link', () => {
  async function helpReplyLink(): Promise<string> {
    await h.editSettings(LOC, (settings) => { settings.includeOptOutLink = true; });
    h.highLevel().get('/contacts/contact-1').reply(200, { contact: { id: 'contact-1', locationId: LOC, phone: CALLER } });
    await h.webhook(inboundSms({ locationId: LOC, contactId: 'contact-1', from: CALLER, body: 'HELP' }));
    await h.runJobs();
    const match = /https:\/\/textback\.test(\/optout\/link\/[A-Za-z0-9_-]+)/.exec(texts.at(-1)?.message ?? '');
    expect(match, texts.at(-1)?.message).not.toBeNull();
    return match![1];
  }

  it('when the location includes the link, then the HELP answer carries an opaque link without the number', async () => {
    const path = await helpReplyLink();
    expect(path).not.toMatch(/2125550147|5550147/);
    expect(path).not.toContain(LOC);
  });

  it('when the link is opened (GET), then it only asks to confirm; the button press opts the number out, source link, even past the cap', async () => {
    const path = await helpReplyLink();
    for (let i = 0; i < 20; i++) await optOut(numberFor(i), `203.0.113.${i + 1}`);
    expect((await optOut(numberFor(99), '192.0.2.1')).status).toBe(429); // the typed form is capped now

    const page = await h.http.get(path);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<form method="post">/);
    expect(page.text).not.toMatch(/<input[^>]+name="phone"/);
    expect(page.text).toContain('0147');
    expect(await h.sql.value('SELECT COUNT(*) FROM suppressions WHERE phone = ?', CALLER)).toBe(0);

    const done = await h.http.post(path).type('form').send({});
    expect(done.status).toBe(200);
    expect(await h.sql.value('SELECT source FROM suppressions WHERE location_id = ? AND phone = ?', LOC, CALLER)).toBe('link');
  });

  it('when the token is altered or made up, then 404 and nothing changes', async () => {
    const path = await helpReplyLink();
    const token = path.split('/').pop()!;
    const altered = `/optout/link/${token.slice(0, 20)}${token[20] === 'A' ? 'B' : 'A'}${token.slice(21)}`;
    expect((await h.http.post(altered).type('form').send({})).status).toBe(404);
    expect((await h.http.get(`/optout/link/${'x'.repeat(60)}`)).status).toBe(404);
    expect(await suppressed()).toBe(0);
  });
});
