// The privacy policy's "what we keep and what we don't" promises, checked on the real app: no tracking cookies,
// nothing loaded from third parties, no names, recordings or attachments kept, nothing left once retention ran. On either
// engine: the tables and columns are read from SQLite's catalogue or PostgreSQL's information_schema.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, inboundSms, missedCall, type Harness } from '../helpers/harness.js';
import { bearer, locationToken } from '../helpers/session.js';
import { DAY } from '../../src/lib/clock.js';
import { ensureRetentionScheduled } from '../../src/jobs/retention.js';

const LOC = 'loc-acme';
const CALLER = '+12125550147';
const RECORDING = 'https://recordings.example.test/voicemail-abc123.mp3';
let h: Harness;

beforeEach(async () => {
  h = await createHarness();
  await h.seedLocation(LOC);
  h.highLevel().persist().get('/contacts/contact-1').reply(200, { contact: { id: 'contact-1', phone: CALLER, firstName: 'Dana', lastName: 'Whitfield', email: 'dana@example.test' } });
  h.highLevel().persist().post('/conversations/messages').reply(201, { conversationId: 'conv-1', messageId: 'msg-1' });
  h.highLevel().persist().post('/contacts/contact-1/tags').reply(201, { tags: [] });
  h.highLevel().persist().get(`/locations/${LOC}`).reply(200, { location: { id: LOC, name: 'Acme Plumbing', timezone: 'America/New_York', phone: '+15550000000' } });
  h.highLevel().persist().get(`/phone-system/numbers/location/${LOC}`).reply(200, { numbers: [{ phoneNumber: '+15550000000', isDefaultNumber: true }] });
  h.acceptDeliveryChecks();
});
afterEach(async () => { await h.close(); });

/** The app's tables: every one but the engine's own bookkeeping (SQLite's sqlite_*, PostgreSQL's schema_migrations). */
async function allTables(): Promise<string[]> {
  const names = h.engine === 'postgres'
    ? await h.sql.column<string>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations' ORDER BY tablename`)
    : await h.sql.column<string>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`);
  expect(names).toEqual(expect.arrayContaining(['jobs', 'calls', 'messages', 'replies', 'audit_log']));
  return names;
}

/** A table's column names. */
async function columnsOf(table: string): Promise<string[]> {
  return h.engine === 'postgres'
    ? h.sql.column<string>(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ?`, table)
    : h.sql.column<string>('SELECT name FROM pragma_table_info(?)', table);
}

/** Every value in every table (or in `tables`), as one string to search. */
async function everythingStored(tables?: string[]): Promise<string> {
  const names = tables ?? await allTables();
  const dumps = await Promise.all(names.map(async (table) => JSON.stringify(await h.sql.all(`SELECT * FROM "${table}"`))));
  return dumps.join('\n');
}

describe('what the app keeps', () => {
  it('when a caller leaves a voicemail and replies, then no record holds the recording URL, their name, email or words', async () => {
    await h.webhook({ ...missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER }), attachments: [RECORDING] });
    await h.webhook(inboundSms({ locationId: LOC, contactId: 'contact-1', from: CALLER, body: 'My boiler is leaking at 12 Elm St' }));
    await h.runJobs();
    const records = await everythingStored(['calls', 'messages', 'replies', 'suppressions', 'suppression_history', 'audit_log', 'locations']);
    expect(records).toContain(CALLER);
    for (const kept of [RECORDING, 'Whitfield', 'dana@example.test', 'boiler', 'Elm St']) expect(records, kept).not.toContain(kept);
  });

  it('when the raw events have been processed, then nothing anywhere in the database holds the recording or the words', async () => {
    await h.webhook({ ...missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER }), attachments: [RECORDING] });
    await h.webhook(inboundSms({ locationId: LOC, contactId: 'contact-1', from: CALLER, body: 'My boiler is leaking' }));
    // Before processing the words wait in the queue (they must be read once); the recording URL never enters it.
    const waiting = await everythingStored();
    expect(waiting).toContain('boiler');
    expect(waiting).not.toContain(RECORDING);
    await h.runJobs();
    expect(await everythingStored()).not.toContain(RECORDING);
    expect(await everythingStored()).not.toContain('boiler');
    await ensureRetentionScheduled(h.app.storage.queue, h.clock.now());
    await h.advance(8 * DAY);
    const all = await everythingStored();
    expect(all).not.toContain(RECORDING);
    expect(all).not.toContain('boiler');
  });

  it('when the schema is read, then no per-caller table has a column for names, emails, attachments or recordings', async () => {
    const perCaller = ['calls', 'messages', 'replies', 'suppressions', 'suppression_history', 'location_line_types'];
    for (const table of perCaller) {
      const columns = await columnsOf(table);
      expect(columns.length, table).toBeGreaterThan(0);
      for (const column of columns) expect(column, `${table}.${column}`).not.toMatch(/name|email|attachment|recording|url|media/i);
    }
  });
});

describe('what the app sets and loads', () => {
  it('when the page, the session, the API, the opt-out page and the install callback are used, then no response sets a cookie', async () => {
    h.highLevel().post('/oauth/token').reply(400, { error: 'invalid_grant' });
    const token = await locationToken(h, LOC);
    const responses = [
      await h.http.get('/app'),
      await h.http.post('/api/session').send({ payload: 'garbage' }),
      await h.http.get(`/api/locations/${LOC}/settings`).set(bearer(token)),
      await h.http.get(`/api/locations/${LOC}/data`).query({ phone: CALLER }).set(bearer(token)),
      await h.http.get(`/optout/${LOC}`),
      await h.http.get('/oauth/callback?code=some-used-code'),
      await h.http.get('/healthz'),
      await h.http.get('/metrics'),
    ];
    responses.forEach((res, i) => expect(res.headers['set-cookie'], `response #${i}`).toBeUndefined());
  });

  it('when the embedded page is served, then its CSP allows only its own origin for scripts, styles, images and requests', async () => {
    const res = await h.http.get('/app');
    expect(res.status).toBe(200);
    const csp = String(res.headers['content-security-policy']);
    for (const directive of ['default-src', 'script-src', 'style-src', 'img-src', 'connect-src', 'font-src']) {
      const sources = csp.split(';').map((part) => part.trim()).find((part) => part.startsWith(`${directive} `));
      if (!sources) continue;
      expect(sources, directive).not.toMatch(/https?:|\*/);
    }
  });

  it('when the page and its assets are read, then none refers to another origin', () => {
    const views = resolve(import.meta.dirname, '../../views');
    const files = ['index.html', ...readdirSync(join(views, 'assets')).map((name) => join('assets', name))];
    for (const file of files.filter((name) => /\.(html|js|css)$/.test(name))) {
      const text = readFileSync(join(views, file), 'utf8');
      expect(text, file).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\/|url\(\s*["']?(https?:)?\/\/|@import\s+["']?(https?:)?\/\/|fetch\(\s*["'`]https?:/i);
    }
  });
});
