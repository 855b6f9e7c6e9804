// A full flow through the real app (OAuth install, token refresh, missed call, a 429, reply, STOP, reconnect,
// uninstall), then what operators see: logs with no secrets or full numbers, the audit trail, and /metrics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, inboundSms, missedCall, type Harness } from '../helpers/harness.js';
import { bearer, locationToken } from '../helpers/session.js';

/** METRICS_TOKEN: the scraper's bearer token. */
const SCRAPER_TOKEN = 'scraper-token-0123456789abcdef';

const LOC = 'loc-new';
const CALLER = '+12125550147';
const NEIGHBOUR = '+12125550199';
const THIRD = '+12125550166';
const SECRETS = {
  accessToken: 'loc-access-token-AAAA1111', refreshToken: 'loc-refresh-token-BBBB2222',
  refreshedAccess: 'loc-access-token-CCCC3333', refreshedRefresh: 'loc-refresh-token-DDDD4444',
  reconnectAccess: 'loc-access-token-EEEE5555', reconnectRefresh: 'loc-refresh-token-FFFF6666',
  code: 'install-code-GGGG7777', reconnectCode: 'install-code-HHHH8888',
};
const grant = (access: string, refresh: string) => ({
  access_token: access, token_type: 'Bearer', expires_in: 86399, refresh_token: refresh, scope: 'conversations/message.write',
  userType: 'Location', locationId: LOC, companyId: 'comp-1', userId: 'user-1', planId: 'plan-x',
});

let h: Harness;
let metrics: string;

beforeAll(async () => {
  h = await createHarness({ env: { METRICS_TOKEN: SCRAPER_TOKEN } });
  const hl = h.highLevel().persist();
  hl.get(`/locations/${LOC}`).reply(200, { location: { id: LOC, name: 'Acme Plumbing', timezone: 'America/New_York', phone: '+15550000000' } });
  hl.get(`/phone-system/numbers/location/${LOC}`).reply(200, { numbers: [{ phoneNumber: '+15550000000', isDefaultNumber: true }] });
  hl.get('/contacts/contact-1').reply(200, { contact: { id: 'contact-1', locationId: LOC, phone: CALLER, firstName: 'Dana' } });
  hl.put('/contacts/contact-1').reply(200, { contact: { id: 'contact-1' } });
  hl.get('/contacts/contact-2').reply(200, { contact: { id: 'contact-2', locationId: LOC, phone: NEIGHBOUR, firstName: 'Sam' } });
  hl.post('/contacts/contact-1/tags').reply(201, { tags: [] });
  // HighLevel fails on a contact with the number in its error message: the error is logged, the number must not be.
  hl.get('/contacts/contact-3').reply(503, { statusCode: 503, message: `Upstream failure reading contact ${THIRD} (212) 555-0166` });
  h.acceptDeliveryChecks();

  // Install through the real OAuth callback.
  h.highLevel().post('/oauth/token').once().reply(200, grant(SECRETS.accessToken, SECRETS.refreshToken));
  expect((await h.http.get(`/oauth/callback?code=${SECRETS.code}`)).status).toBe(200);

  // The access token has expired by the time the call comes: it is refreshed (refresh tokens rotate).
  await h.sql.run('UPDATE tokens SET expires_at = ? WHERE owner_id = ?', h.clock.now() - 1, LOC);
  h.highLevel().post('/oauth/token').once().reply(200, grant(SECRETS.refreshedAccess, SECRETS.refreshedRefresh));
  // A send HighLevel refuses with the number in its error message.
  h.highLevel().post('/conversations/messages', (body) => body.contactId === 'contact-2').once()
    .reply(422, { statusCode: 422, message: `Cannot send SMS to ${NEIGHBOUR} (+1 212-555-0199): landline` });
  // HighLevel answers the first send with 429 and accepts the retry.
  h.highLevel().post('/conversations/messages').once().reply(429, { message: 'Too many requests' }, { 'retry-after': '1' });
  let sent = 0;
  h.highLevel().persist().post('/conversations/messages').reply(201, () => ({ conversationId: 'conv-1', messageId: `msg-${++sent}` }));

  expect((await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER }))).status).toBe(200);
  await h.runJobs();
  expect(sent).toBe(1);
  await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-2', from: NEIGHBOUR }));
  await h.runJobs();
  await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-3', from: THIRD }));
  await h.runJobs();
  for (const body of ['Yes please call me back at 212-555-0147', 'STOP']) {
    expect((await h.webhook(inboundSms({ locationId: LOC, contactId: 'contact-1', from: CALLER, body }))).status).toBe(200);
    await h.runJobs();
  }
  expect((await h.webhook({ type: 'NotHandled', locationId: LOC })).status).toBe(200);
  expect((await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER }), { sign: false })).status).toBe(401);

  // The page's user changes a setting, adds and lifts a suppression by hand, exports and erases a number.
  const session = await locationToken(h, LOC);
  await h.http.put(`/api/locations/${LOC}/settings`).set(bearer(session)).send({ followUp: { delayMinutes: 180 } }).expect(200);
  await h.http.post(`/api/locations/${LOC}/suppressions`).set(bearer(session)).send({ phone: '+12125550188', reason: 'asked by phone' }).expect(201);
  await h.http.delete(`/api/locations/${LOC}/suppressions/${encodeURIComponent('+12125550188')}`).query({ reason: 'added by mistake' }).set(bearer(session)).expect(200);
  await h.http.get(`/api/locations/${LOC}/data`).query({ phone: CALLER }).set(bearer(session)).expect(200);
  await h.http.delete(`/api/locations/${LOC}/data`).query({ phone: CALLER }).set(bearer(session)).expect(200);

  // HighLevel rejects the refresh token some day; the user reconnects through the marketplace.
  await h.sql.run(`UPDATE tokens SET needs_reconnect = 1, reconnect_reason = 'refresh rejected' WHERE owner_id = ?`, LOC);
  h.highLevel().post('/oauth/token').once().reply(200, grant(SECRETS.reconnectAccess, SECRETS.reconnectRefresh));
  expect((await h.http.get(`/oauth/callback?code=${SECRETS.reconnectCode}`)).status).toBe(200);

  expect((await h.webhook({ type: 'UNINSTALL', appId: 'app123', locationId: LOC, companyId: 'comp-1' })).status).toBe(200);
  await h.runJobs();

  const res = await h.http.get('/metrics').set('Authorization', `Bearer ${SCRAPER_TOKEN}`);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  metrics = res.text;
});
afterAll(async () => { await h.close(); });

describe('structured logs', () => {
  it('when the whole flow ran, then no log line holds a token, a secret, an OAuth code or a full phone number', () => {
    const logs = h.logs.join('');
    for (const message of ['install completed', 'highlevel token renewal', 'webhook event handled', '"outcome":"texted"']) expect(logs).toContain(message);
    for (const secret of [...Object.values(SECRETS), h.config.highLevel.clientSecret, h.config.highLevel.sharedSecret, h.config.encryptionKey!]) {
      expect(logs, secret).not.toContain(secret);
    }
    expect(logs).not.toMatch(/\(?212\)?[\s.-]?555[\s.-]?0(147|188|199|166)|5550000000/);
    // HighLevel's error naming a number was logged, with the number masked to its last four digits.
    expect(logs).toContain('***0166');
    expect(logs).not.toContain('Yes please call me back');
    for (const line of h.logs) expect(() => JSON.parse(line)).not.toThrow();
  });
});

describe('the audit trail', () => {
  const entries = async () => await h.sql.all('SELECT location_id AS locationId, actor, action, detail FROM audit_log ORDER BY id') as
    { locationId: string | null; actor: string; action: string; detail: string | null }[];

  it('when installs, settings, suppressions, exports, erasures, a reconnect and an uninstall happened, then each is recorded with who did it', async () => {
    const byAction = new Map((await entries()).map((entry) => [entry.action, entry]));
    expect(byAction.get('install')).toMatchObject({ locationId: LOC, actor: 'user-1' });
    expect(byAction.get('settings.update')).toMatchObject({ locationId: LOC, actor: 'user-1' });
    expect(byAction.get('suppression.add')).toMatchObject({ locationId: LOC, actor: 'user-1' });
    expect(byAction.get('suppression.lift')).toMatchObject({ locationId: LOC, actor: 'user-1' });
    expect(byAction.get('data.export')).toMatchObject({ locationId: LOC, actor: 'user-1' });
    expect(byAction.get('data.erase')).toMatchObject({ locationId: LOC, actor: 'user-1' });
    expect(byAction.get('reconnect')).toMatchObject({ locationId: LOC, actor: 'user-1' });
    expect(byAction.get('uninstall')).toMatchObject({ locationId: LOC, actor: 'highlevel' });
    expect(JSON.parse(byAction.get('suppression.add')!.detail!).phone).toBe('***0188');
  });

  it('when anything was audited, then no entry holds a message body or a full phone number', async () => {
    const all = JSON.stringify(await entries());
    expect(all).not.toMatch(/2125550147|2125550188/);
    expect(all).not.toMatch(/Sorry we missed|call me back|STOP/);
  });
});

describe('GET /metrics', () => {
  const value = (series: string) => {
    const line = metrics.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  it('when webhooks were received, then they are counted by outcome', () => {
    expect(value('textback_webhooks_received_total{outcome="stored"}')).toBeGreaterThanOrEqual(4);
    expect(value('textback_webhooks_received_total{outcome="ignored"}')).toBe(1);
    expect(value('textback_webhooks_received_total{outcome="unsigned"}')).toBe(1);
  });

  it('when texts were sent and the caller opted out, then texts, follow-ups and opt-outs are counted', () => {
    expect(value('textback_texts_total{kind="textback",outcome="sent"}')).toBe(1);
    expect(value('textback_opt_outs_total')).toBe(1);
    expect(value('textback_calls_total{decision="pending"}')).toBe(3);
    expect(value('textback_texts_total{kind="textback",outcome="failed"}')).toBe(1);
    expect(metrics).toContain('# TYPE textback_followups_total counter');
  });

  it('when HighLevel was called, then latency is a histogram by endpoint family, and the 429 and the token refresh are counted', () => {
    expect(metrics).toContain('# TYPE textback_highlevel_request_duration_seconds histogram');
    expect(value('textback_highlevel_request_duration_seconds_count{family="conversations",status="2xx"}')).toBe(1);
    expect(value('textback_highlevel_request_duration_seconds_bucket{le="+Inf",family="conversations",status="429"}')).toBe(1);
    expect(value('textback_highlevel_rate_limited_total{family="conversations"}')).toBe(1);
    expect(value('textback_token_refreshes_total{owner_type="Location",result="refreshed"}')).toBe(1);
  });

  it('when scraped, then the job queue gauges are read from the database', async () => {
    const pending = await h.sql.value(`SELECT COUNT(*) FROM jobs WHERE status = 'pending'`);
    expect(value('textback_jobs{status="pending"}')).toBe(pending);
    expect(value('textback_jobs{status="running"}')).toBe(0);
    expect(value('textback_jobs_failed_recent')).toBe(0);
    expect(value('textback_jobs_overdue_seconds')).toBe(0);
    expect(value('textback_jobs_settled_total{kind="highlevel-event",outcome="done"}')).toBeGreaterThanOrEqual(4);
  });

  it('when scraped, then no label carries a location id or a phone number', () => {
    expect(metrics).not.toContain(LOC);
    // Labels only: a sample's value (e.g. an event-loop lag of 0.0081884 s) may hold any digits.
    const labelSets = metrics.split('\n').filter((line) => !line.startsWith('#')).map((line) => /\{[^}]*\}/.exec(line)?.[0] ?? '');
    expect(labelSets.join('\n')).not.toMatch(/0147|0188/);
  });

  it('when missed calls were handled, then no label value looks like a phone number or an id, and app labels are outcomes and kinds', () => {
    const labels = metrics.split('\n').filter((line) => line && !line.startsWith('#'))
      .flatMap((line) => [...line.matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)].map(([, name, text]) => ({ metric: line.split('{')[0], name, text })));
    expect(labels.length).toBeGreaterThan(20);
    const ids = [LOC, 'contact-1', 'contact-2', 'contact-3', 'comp-1', 'user-1', 'conv-1', 'msg-1', 'app123'];
    for (const { metric, name, text } of labels) {
      // A phone number has 7+ digits however it is written; no outcome, kind, bucket bound or Node version does.
      expect(text.replace(/\D/g, '').length, `${metric} ${name}="${text}"`).toBeLessThan(7);
      expect(text, `${metric} ${name}`).not.toMatch(/^[A-Za-z0-9]{20,}$/); // HighLevel's ids
      for (const id of ids) expect(text, `${metric} ${name}`).not.toContain(id);
      if (metric.startsWith('textback_')) expect(['outcome', 'decision', 'kind', 'family', 'status', 'owner_type', 'result', 'le']).toContain(name);
    }
  });

  it('when scraped, then Node\'s process metrics (CPU, memory, event loop) are exposed too', () => {
    expect(value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(value('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(value('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(metrics).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
  });
});
