// The app on stores that answer later, as PostgreSQL's do (every store call a promise settled a turn of the event loop
// later): the text-back, replies, the embedded page's API, sessions ending with the install, readiness, metrics, the
// learned frame origin and start-up all behave as on SQLite, so no caller uses a store's answer without awaiting it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, inboundSms, missedCall, type Harness } from '../../helpers/harness.js';
import { bearer, locationToken } from '../../helpers/session.js';
import { createSendLedger } from '../../../src/store/ledger.js';

const LOC = 'loc-acme';
const CALLER = '+12125550147';
const SCRAPER_TOKEN = 'scraper-token-0123456789abcdef';
let h: Harness;
let texts: string[];
let tagged: number;

beforeEach(async () => {
  h = await createHarness({ deferStores: true, env: { METRICS_TOKEN: SCRAPER_TOKEN } });
  await h.seedLocation(LOC);
  texts = [];
  tagged = 0;
  const hl = h.highLevel().persist();
  hl.get('/contacts/contact-1').reply(200, { contact: { id: 'contact-1', locationId: LOC, phone: CALLER, firstName: 'Dana' } });
  hl.post('/conversations/messages', (body) => { texts.push(body.message); return true; })
    .reply(201, () => ({ conversationId: 'conv-1', messageId: `msg-${texts.length}` }));
  hl.put('/contacts/contact-1').reply(200, { contact: { id: 'contact-1' } });
  hl.post('/contacts/contact-1/tags').reply(201, () => { tagged += 1; return { tags: [] }; });
  h.acceptDeliveryChecks();
});
afterEach(async () => { await h.close(); });

const sms = (body: string) => h.webhook(inboundSms({ locationId: LOC, contactId: 'contact-1', from: CALLER, body }));

describe('an app whose stores answer later', () => {
  it('when a store is asked, then its answer is a promise (the stores really are deferred)', async () => {
    const answer = h.app.storage.locations.get(LOC);
    expect(answer).toBeInstanceOf(Promise);
    expect((await answer)?.status).toBe('installed');
  });

  it('when a call is missed, the caller replies and then texts STOP, then one text-back, one tag and one confirmation go out and nothing after', async () => {
    expect((await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER }))).status).toBe(200);
    await h.runJobs();
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain('Acme Plumbing');

    // A plain reply: the worker's admission asks the store whether the location tags replies.
    expect((await sms('Thanks, call me back')).status).toBe(200);
    await h.runJobs();
    expect(tagged).toBe(1);

    expect((await sms('Please stop texting me')).status).toBe(200);
    await h.runJobs();
    expect(h.app.db.prepare('SELECT COUNT(*) FROM suppressions WHERE location_id = ? AND phone = ?').pluck().get(LOC, CALLER)).toBe(1);
    expect(texts).toHaveLength(2);
    expect(texts[1]).toMatch(/unsubscribed/i);

    await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER }));
    await h.runJobs();
    expect(texts).toHaveLength(2);
    expect(h.app.db.prepare('SELECT decision FROM calls ORDER BY id DESC LIMIT 1').pluck().get()).toBe('skipped:suppressed');
  });

  it('when the embedded page reads and changes the location, then every route answers from the stores, and the session ends with the install', async () => {
    await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER }));
    await h.runJobs();
    const session = bearer(await locationToken(h, LOC));
    const base = `/api/locations/${LOC}`;

    const settings = await h.http.get(`${base}/settings`).set(session).expect(200);
    expect(settings.body.settings.enabled).toBe(true);
    await h.http.put(`${base}/settings`).set(session).send({ followUp: { delayMinutes: 180 } }).expect(200);
    expect((await h.http.get(`${base}/settings`).set(session).expect(200)).body.settings.followUp.delayMinutes).toBe(180);
    expect((await h.http.get(`${base}/activity`).set(session).expect(200)).body.items.length).toBeGreaterThan(0);
    expect((await h.http.get(`${base}/stats`).set(session).expect(200)).body.totals.missedCalls).toBe(1);
    await h.http.post(`${base}/suppressions`).set(session).send({ phone: '+12125550188', reason: 'asked by phone' }).expect(201);
    expect((await h.http.get(`${base}/suppressions`).set(session).expect(200)).body.items.map((item: { phone: string }) => item.phone)).toEqual(['+12125550188']);
    expect((await h.http.get(`${base}/provider`).set(session).expect(200)).body.provider).toBe('highlevel');
    expect((await h.http.get(`${base}/data`).query({ phone: CALLER }).set(session).expect(200)).body.calls).toHaveLength(1);

    expect((await h.webhook({ type: 'UNINSTALL', appId: 'app123', locationId: LOC, companyId: 'company-1' })).status).toBe(200);
    await h.runJobs();
    const after = await h.http.get(`${base}/settings`).set(session);
    expect(after.status).toBe(401);
    expect(after.body.error).toBe('session_ended');
  });

  it('when a white-label agency installs, then the page framed from its domain is allowed', async () => {
    await h.webhook({
      type: 'INSTALL', appId: 'app123', locationId: 'loc-wl', companyId: 'agency-wl', userId: 'user-wl',
      isWhitelabelCompany: true, whitelabelDetails: { domain: 'app.agency-wl.example' },
    });
    await h.runJobs();
    const res = await h.http.get('/app').set('sec-fetch-dest', 'iframe').set('sec-fetch-site', 'cross-site').set('referer', 'https://app.agency-wl.example/x');
    expect(res.status).toBe(200);
    expect(String(res.headers['content-security-policy'])).toMatch(/frame-ancestors [^;]* https:\/\/app\.agency-wl\.example(;|$)/);
  });

  it('when readiness and metrics are asked, then they answer from the stores', async () => {
    await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER }));
    expect((await h.http.get('/readyz')).body).toEqual({ status: 'ok', database: 'ok' });
    const metrics = await h.http.get('/metrics').set('Authorization', `Bearer ${SCRAPER_TOKEN}`).expect(200);
    expect(metrics.text).toContain('textback_jobs{status="pending"} 1\n');
  });

  it('when the app starts after a crash mid-send, then the interrupted text is marked unknown before the worker runs', async () => {
    const ledger = createSendLedger(h.app.db);
    const reserved = await ledger.reserve({
      locationId: LOC, sendKey: 'textback:interrupted', kind: 'textback', callId: null, contactId: 'contact-1', phone: CALLER,
      body: 'Sorry we missed your call', segments: 1, provider: 'highlevel', checkSuppression: true,
    }, h.clock.now());
    expect(reserved.outcome).toBe('reserved');
    await h.app.start();
    expect(h.app.db.prepare(`SELECT status FROM messages WHERE send_key = 'textback:interrupted'`).pluck().get()).toBe('unknown');
  });
});
