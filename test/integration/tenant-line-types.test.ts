// Line-type facts belong to the location whose Twilio account learned them: another location never acts on them,
// exports them or erases them.
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, missedCall, type Harness } from '../helpers/harness.js';
import { bearer, locationToken } from '../helpers/session.js';
import { APP_ACCOUNT_SID, APP_AUTH_TOKEN, APP_TWILIO_ENV, LOOKUPS_API } from '../helpers/twilio.js';
import type { NumberExport } from '../../src/store/data-rights.js';

const A = 'loc-acme';
const B = 'loc-bravo';
const CALLER = '+12125550147';
let h: Harness;
let texts: number;

beforeEach(async () => {
  h = await createHarness({ env: APP_TWILIO_ENV });
  await h.seedLocation(A, { settings: { landlineCheck: true } });
  await h.seedLocation(B, { name: 'Bravo Dental', numbers: ['+15550000001'], settings: { landlineCheck: true, cooldownHours: 0, followUp: { enabled: false } } });
  texts = 0;
  for (const [contactId, locationId] of [['contact-a', A], ['contact-b', B]]) {
    h.highLevel().persist().get(`/contacts/${contactId}`).reply(200, { contact: { id: contactId, locationId, phone: CALLER, firstName: 'Dana' } });
  }
  h.highLevel().persist().post('/conversations/messages').reply(201, () => ({ conversationId: 'conv-1', messageId: `msg-${++texts}` }));
  h.acceptDeliveryChecks();
});
afterEach(async () => { await h.close(); });

function lookup(type: string) {
  return nock(LOOKUPS_API).get(`/v2/PhoneNumbers/${CALLER}`).query({ Fields: 'line_type_intelligence' })
    .basicAuth({ user: APP_ACCOUNT_SID, pass: APP_AUTH_TOKEN })
    .reply(200, { phone_number: CALLER, valid: true, line_type_intelligence: { type, carrier_name: 'Carrier', error_code: null } });
}
async function missACall(locationId: string, contactId: string) {
  await h.webhook(missedCall({ locationId, contactId, from: CALLER }));
  await h.runJobs();
  return await h.sql.value('SELECT decision FROM calls WHERE location_id = ? ORDER BY id DESC LIMIT 1', locationId);
}
/** A learns "landline" from its lookup; B then looks the same number up on its own behalf and learns "mobile". */
async function bothLearn() {
  const first = lookup('landline');
  expect(await missACall(A, 'contact-a')).toBe('skipped:landline');
  const second = lookup('mobile');
  expect(await missACall(B, 'contact-b')).toBe('texted');
  expect([first.isDone(), second.isDone()]).toEqual([true, true]);
}
async function dataRequest(locationId: string, method: 'get' | 'delete') {
  const token = await locationToken(h, locationId);
  return h.http[method](`/api/locations/${locationId}/data`).query({ phone: CALLER }).set(bearer(token));
}

describe('line-type facts per location', () => {
  it('when one location\'s lookup found the number to be a landline, then another location does not act on it: it looks the number up itself and texts it', async () => {
    await bothLearn();
    expect(texts).toBe(1);
  });

  it('when a location exports a number, then the copy holds only its own line-type fact', async () => {
    await bothLearn();
    const copy = (await dataRequest(A, 'get')).body as NumberExport;
    expect(copy.lookups).toEqual([{ table: 'location_line_types', locationId: A, phone: CALLER, lineType: 'landline', source: 'lookup', checkedAt: h.clock.now() }]);
    const other = (await dataRequest(B, 'get')).body as NumberExport;
    expect(other.lookups).toEqual([expect.objectContaining({ locationId: B, lineType: 'mobile' })]);
  });

  it('when a location erases a number, then only its own line-type fact goes and the other location keeps acting on its own', async () => {
    await bothLearn();
    const res = await dataRequest(A, 'delete');
    expect(res.status).toBe(200);
    expect(res.body.erased.lookups).toBe(1);
    expect(((await dataRequest(B, 'get')).body as NumberExport).lookups).toEqual([expect.objectContaining({ locationId: B, lineType: 'mobile' })]);
    // B still knows the number is a mobile: its next missed call is texted without a new lookup (none is mocked).
    expect(await missACall(B, 'contact-b')).toBe('texted');
    expect(texts).toBe(2);
  });
});
