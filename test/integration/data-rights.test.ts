// A person's data rights through the real app: the export (JSON and CSV) and the erasure that keeps the suppression.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, inboundSms, missedCall, type Harness } from '../helpers/harness.js';
import { bearer, locationToken } from '../helpers/session.js';
import { EXPORT_CSV_COLUMNS } from '../../src/store/data-export-csv.js';
import type { NumberExport } from '../../src/store/data-rights.js';

const LOC = 'loc-acme';
const OTHER_LOC = 'loc-other';
const CALLER = '+12125550147';
const NEIGHBOUR = '+12125550199';
let h: Harness;
let token: string;

beforeEach(async () => {
  h = await createHarness();
  await h.seedLocation(LOC);
  await h.seedLocation(OTHER_LOC, { numbers: ['+15550000001'] });
  const contacts: Record<string, string> = { 'contact-1': CALLER, 'contact-2': NEIGHBOUR };
  for (const [id, phone] of Object.entries(contacts)) {
    h.highLevel().persist().get(`/contacts/${id}`).reply(200, { contact: { id, locationId: LOC, phone, firstName: 'Dana' } });
    h.highLevel().persist().put(`/contacts/${id}`).reply(200, { contact: { id } });
    h.highLevel().persist().post(`/contacts/${id}/tags`).reply(201, { tags: [] });
  }
  let sent = 0;
  h.highLevel().persist().post('/conversations/messages').reply(201, () => ({ conversationId: 'conv-1', messageId: `msg-${++sent}` }));
  token = await locationToken(h, LOC);
});
afterEach(async () => { await h.close(); });

async function missedCallFrom(contactId: string, from: string, locationId = LOC) {
  expect((await h.webhook(missedCall({ locationId, contactId, from }))).status).toBe(200);
  await h.runJobs();
}
async function text(body: string) {
  expect((await h.webhook(inboundSms({ locationId: LOC, contactId: 'contact-1', from: CALLER, body }))).status).toBe(200);
  await h.runJobs();
}
const exportOf = (phone: string, format?: string) =>
  h.http.get(`/api/locations/${LOC}/data`).query({ phone, ...(format ? { format } : {}) }).set(bearer(token));
const count = async (sql: string, ...params: unknown[]) => await h.sql.value(sql, ...params) as number;

/** Splits RFC 4180 text into rows of fields (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else field += c;
  }
  return rows;
}

describe('GET /api/locations/:id/data (export)', () => {
  it('when a caller was texted back, then the JSON copy holds the call, the text with its delivery status, the pending follow-up and the opt-out state', async () => {
    await missedCallFrom('contact-1', CALLER);
    const res = await exportOf(CALLER);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const data = res.body as NumberExport;
    expect(data).toMatchObject({ locationId: LOC, phone: CALLER, suppression: { suppressed: false, source: null, since: null }, suppressionHistory: [] });
    expect(data.calls).toEqual([expect.objectContaining({ contactId: 'contact-1', callStatus: 'voicemail', missed: true, decision: 'texted' })]);
    expect(data.messages).toEqual([expect.objectContaining({ kind: 'textback', status: 'sent', providerMessageId: 'msg-1', callId: data.calls[0].id })]);
    expect(data.messages[0].body).toContain('Acme Plumbing');
    expect(data.followUps).toEqual([{ callId: data.calls[0].id, state: 'pending', at: expect.any(Number) }]);
    expect(data.jobs.filter((job) => job.status === 'pending').map((job) => job.kind)).toEqual(['followup']);
    expect(data.replies).toEqual([]);
  });

  it('when the caller replied and opted out, then the copy shows what the replies meant (never their words) and the suppression with its history', async () => {
    await missedCallFrom('contact-1', CALLER);
    await text('Can you come Tuesday?');
    await text('STOP');
    const data = (await exportOf(CALLER)).body as NumberExport;
    expect(data.replies.map((reply) => reply.meaning)).toEqual(['reply', 'opt-out']);
    expect(JSON.stringify(data)).not.toContain('Tuesday');
    expect(data.suppression).toEqual({ suppressed: true, source: 'keyword', since: h.clock.now() });
    expect(data.suppressionHistory).toEqual([{ action: 'suppress', source: 'keyword', reason: 'opt-out reply', actor: 'caller', at: h.clock.now() }]);
    expect(data.jobs.filter((job) => job.status === 'pending')).toEqual([]);
  });

  it('when another number and another location have records, then none of them is in the copy', async () => {
    await missedCallFrom('contact-1', CALLER);
    await missedCallFrom('contact-2', NEIGHBOUR);
    await missedCallFrom('contact-1', CALLER, OTHER_LOC);
    const data = (await exportOf(CALLER)).body as NumberExport;
    expect(data.calls).toHaveLength(1);
    expect(data.messages).toHaveLength(1);
    expect(JSON.stringify(data)).not.toContain('0199');
    expect(JSON.stringify(data)).not.toContain(OTHER_LOC);
  });

  it('when format=csv, then a CSV with a header row whose quoted fields round-trip to the stored text', async () => {
    await missedCallFrom('contact-1', CALLER);
    await text('STOP');
    const res = await exportOf(CALLER, 'csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="textback-loc-acme-0147.csv"');
    expect(res.text.startsWith(`${EXPORT_CSV_COLUMNS.join(',')}\r\n`)).toBe(true);
    const [header, ...rows] = parseCsv(res.text);
    expect(header).toEqual([...EXPORT_CSV_COLUMNS]);
    for (const row of rows) expect(row).toHaveLength(header.length);
    const body = await h.sql.value(`SELECT body FROM messages WHERE kind = 'textback'`) as string;
    expect(body).toContain(',');
    const message = rows.find((row) => row[0] === 'message')!;
    expect(message[header.indexOf('text')]).toBe(body);
    expect(message[header.indexOf('status')]).toBe('sent');
    expect(rows.find((row) => row[0] === 'suppression')).toEqual(expect.arrayContaining(['suppression', 'current', 'suppressed', 'source=keyword']));
    expect(rows.filter((row) => row[0] === 'reply').map((row) => row[header.indexOf('kind')])).toEqual(['opt-out']);
    expect(rows.find((row) => row[0] === 'call')![header.indexOf('at')]).toBe(new Date(h.clock.now()).toISOString());
  });

  it('when the number is given with an unencoded + or in a local format, then it is read as the same E.164 number', async () => {
    await missedCallFrom('contact-1', CALLER);
    const raw = await h.http.get(`/api/locations/${LOC}/data?phone=+12125550147`).set(bearer(token));
    expect(raw.body.phone).toBe(CALLER);
    expect(raw.body.calls).toHaveLength(1);
    expect((await exportOf('(212) 555-0147')).body.phone).toBe(CALLER);
  });

  it('when the export is made, then the audit log records who, the format and the masked number only', async () => {
    await missedCallFrom('contact-1', CALLER);
    await exportOf(CALLER, 'csv');
    const entry = await h.sql.get(`SELECT actor, detail FROM audit_log WHERE action = 'data.export'`) as { actor: string; detail: string };
    expect(entry.actor).toBe('user-1');
    expect(JSON.parse(entry.detail)).toEqual({ phone: '***0147', format: 'csv', calls: 1, messages: 1, replies: 0 });
    expect(entry.detail).not.toContain('2125550147');
  });

  it('when the request has no session, another location\'s session, or a bad number, then 401, 403 and 422', async () => {
    expect((await h.http.get(`/api/locations/${LOC}/data`).query({ phone: CALLER })).status).toBe(401);
    const other = await locationToken(h, OTHER_LOC);
    expect((await h.http.get(`/api/locations/${LOC}/data`).query({ phone: CALLER }).set(bearer(other))).status).toBe(403);
    expect((await h.http.delete(`/api/locations/${LOC}/data`).query({ phone: CALLER }).set(bearer(other))).status).toBe(403);
    const bad = await exportOf('12');
    expect(bad.status).toBe(422);
    expect(bad.body.issues[0].field).toBe('phone');
    expect((await h.http.get(`/api/locations/${LOC}/data`).set(bearer(token))).status).toBe(422);
    expect((await exportOf(CALLER, 'xml')).status).toBe(422);
    expect(await count(`SELECT COUNT(*) FROM audit_log WHERE action LIKE 'data.%'`)).toBe(0);
  });
});

describe('DELETE /api/locations/:id/data (erasure)', () => {
  it('when an opted-out caller is erased, then calls, messages, replies and jobs go, and the suppression stays and still blocks texts', async () => {
    await missedCallFrom('contact-1', CALLER);
    await text('STOP');
    await missedCallFrom('contact-2', NEIGHBOUR);
    await missedCallFrom('contact-1', CALLER, OTHER_LOC);
    const before = (await exportOf(CALLER)).body as NumberExport;
    expect(before.jobs.length).toBeGreaterThan(0);

    const res = await h.http.delete(`/api/locations/${LOC}/data`).query({ phone: CALLER }).set(bearer(token));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      erased: { calls: 1, messages: 1, replies: 1, jobs: before.jobs.length, lookups: 0 },
      suppression: { suppressed: true, source: 'keyword', since: before.suppression.since },
    });

    const after = (await exportOf(CALLER)).body as NumberExport;
    expect(after).toMatchObject({ calls: [], messages: [], followUps: [], replies: [], jobs: [], lookups: [] });
    expect(after.suppression.suppressed).toBe(true);
    expect(after.suppressionHistory).toEqual(before.suppressionHistory);
    // The neighbour and the other location keep theirs.
    expect(await count('SELECT COUNT(*) FROM calls WHERE phone = ?', NEIGHBOUR)).toBe(1);
    expect(await count('SELECT COUNT(*) FROM calls WHERE location_id = ? AND phone = ?', OTHER_LOC, CALLER)).toBe(1);
    expect(await count('SELECT COUNT(*) FROM messages WHERE location_id = ? AND phone = ?', OTHER_LOC, CALLER)).toBe(1);

    // Never texted again: the next missed call is skipped as suppressed.
    await missedCallFrom('contact-1', CALLER);
    expect(await h.sql.value('SELECT decision FROM calls WHERE location_id = ? AND phone = ?', LOC, CALLER)).toBe('skipped:suppressed');
  });

  it('when a caller with a pending follow-up is erased, then the follow-up is gone and never sent', async () => {
    await missedCallFrom('contact-1', CALLER);
    expect(await count(`SELECT COUNT(*) FROM jobs WHERE kind = 'followup' AND status = 'pending'`)).toBe(1);
    await h.http.delete(`/api/locations/${LOC}/data`).query({ phone: CALLER }).set(bearer(token)).expect(200);
    expect(await count(`SELECT COUNT(*) FROM jobs WHERE kind = 'followup'`)).toBe(0);
    await h.advance(3 * 60 * 60_000);
    expect(await count(`SELECT COUNT(*) FROM messages`)).toBe(0);
  });

  it('when the caller\'s STOP is still waiting in the queue at erasure, then it is kept, runs afterwards and suppresses the number', async () => {
    await missedCallFrom('contact-1', CALLER);
    expect((await h.webhook(inboundSms({ locationId: LOC, contactId: 'contact-1', from: CALLER, body: 'STOP' }))).status).toBe(200);
    const res = await h.http.delete(`/api/locations/${LOC}/data`).query({ phone: CALLER }).set(bearer(token));
    expect(res.body.suppression.suppressed).toBe(false);
    expect(await count(`SELECT COUNT(*) FROM jobs WHERE status = 'pending' AND kind = 'highlevel-event'`)).toBe(1);
    await h.runJobs();
    expect(await count('SELECT COUNT(*) FROM suppressions WHERE location_id = ? AND phone = ?', LOC, CALLER)).toBe(1);
  });

  it('when a cached line-type lookup exists for the number, then the export shows it and the erasure removes it', async () => {
    await missedCallFrom('contact-1', CALLER);
    const insert = `INSERT INTO location_line_types (location_id, phone, line_type, source, checked_at) VALUES (?, ?, ?, 'lookup', ?)`;
    await h.sql.run(insert, LOC, CALLER, 'mobile', h.clock.now());
    await h.sql.run(insert, LOC, NEIGHBOUR, 'landline', h.clock.now());
    expect(((await exportOf(CALLER)).body as NumberExport).lookups).toEqual([{ table: 'location_line_types', locationId: LOC, phone: CALLER, lineType: 'mobile', source: 'lookup', checkedAt: h.clock.now() }]);
    const res = await h.http.delete(`/api/locations/${LOC}/data`).query({ phone: CALLER }).set(bearer(token));
    expect(res.body.erased.lookups).toBe(1);
    expect(await count('SELECT COUNT(*) FROM location_line_types')).toBe(1);
  });

  it('when the erasure is made, then the audit log records it with the masked number and what was removed', async () => {
    await missedCallFrom('contact-1', CALLER);
    await h.http.delete(`/api/locations/${LOC}/data`).query({ phone: CALLER }).set(bearer(token)).expect(200);
    const entry = await h.sql.get(`SELECT actor, location_id AS locationId, detail FROM audit_log WHERE action = 'data.erase'`) as { actor: string; locationId: string; detail: string };
    expect(entry).toMatchObject({ actor: 'user-1', locationId: LOC });
    expect(JSON.parse(entry.detail)).toMatchObject({ phone: '***0147', calls: 1, messages: 1, suppressionKept: false });
    expect(entry.detail).not.toContain('2125550147');
  });
});
