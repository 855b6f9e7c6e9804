// The optional landline check: a Twilio Lookup before the first text to an unknown number, cached for 180 days.
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, missedCall, type Harness } from '../helpers/harness.js';
import { DAY, HOUR } from '../../src/lib/clock.js';
import type { SettingsPatch } from '../../src/workflow/settings.js';
import { APP_ACCOUNT_SID, APP_AUTH_TOKEN, APP_TWILIO_ENV, LOOKUPS_API } from '../helpers/twilio.js';

const LOC = 'loc-acme';
const CALLER = '+12125550147';
let h: Harness;
let texts: number;

async function setup(settings: SettingsPatch, env: Record<string, string> = APP_TWILIO_ENV) {
  h = await createHarness({ env });
  await h.seedLocation(LOC, { settings });
  texts = 0;
  h.highLevel().persist().get('/contacts/contact-1').reply(200, { contact: { id: 'contact-1', locationId: LOC, phone: CALLER, firstName: 'Dana' } });
  h.highLevel().persist().post('/conversations/messages').reply(201, () => ({ conversationId: 'conv-1', messageId: `msg-${++texts}` }));
  h.acceptDeliveryChecks();
  // Profile refreshes after a day.
  h.highLevel().persist().get(`/locations/${LOC}`).reply(200, { location: { id: LOC, name: 'Acme Plumbing', timezone: 'America/New_York', phone: '+15550000000' } });
  h.highLevel().persist().get(`/phone-system/numbers/location/${LOC}`).reply(200, { numbers: [{ phoneNumber: '+15550000000' }] });
}
afterEach(async () => { await h.close(); });

function lookup(type: string | null, times = 1) {
  return nock(LOOKUPS_API).get(`/v2/PhoneNumbers/${CALLER}`).query({ Fields: 'line_type_intelligence' })
    .basicAuth({ user: APP_ACCOUNT_SID, pass: APP_AUTH_TOKEN }).times(times)
    .reply(200, { phone_number: CALLER, valid: true, line_type_intelligence: type === null ? null : { type, carrier_name: 'Carrier', error_code: null } });
}
async function missACall() {
  await h.webhook(missedCall({ locationId: LOC, contactId: 'contact-1', from: CALLER }));
  await h.runJobs();
  return await h.sql.value('SELECT decision FROM calls ORDER BY id DESC LIMIT 1');
}
const cached = async () => await h.sql.get('SELECT line_type AS type, source FROM location_line_types WHERE location_id = ? AND phone = ?', LOC, CALLER);

describe('landline check', () => {
  it('when the check is on and the lookup says landline, then the call is skipped with reason landline and the answer is cached', async () => {
    await setup({ landlineCheck: true });
    const scope = lookup('landline');
    expect(await missACall()).toBe('skipped:landline');
    expect(scope.isDone()).toBe(true);
    expect(texts).toBe(0);
    expect(await cached()).toEqual({ type: 'landline', source: 'lookup' });
    await h.advance(HOUR);
    expect(await missACall()).toBe('skipped:landline');
  });

  it('when the lookup says mobile, then the text goes out, and the number is not looked up again for 180 days', async () => {
    await setup({ landlineCheck: true, cooldownHours: 0, followUp: { enabled: false } });
    lookup('mobile');
    expect(await missACall()).toBe('texted');
    await h.advance(179 * DAY);
    expect(await missACall()).toBe('texted');
    await h.advance(2 * DAY);
    const again = lookup('landline');
    expect(await missACall()).toBe('skipped:landline');
    expect(again.isDone()).toBe(true);
  });

  it('when the lookup fails, then the text goes out anyway (the check never blocks a text)', async () => {
    await setup({ landlineCheck: true });
    nock(LOOKUPS_API).get(`/v2/PhoneNumbers/${CALLER}`).query(true).reply(500, { code: 20500, message: 'Internal error', status: 500 });
    expect(await missACall()).toBe('texted');
    expect(await cached()).toBeUndefined();
  });

  it('when the check is off, then no lookup is made', async () => {
    await setup({ landlineCheck: false });
    expect(await missACall()).toBe('texted');
    expect(await cached()).toBeUndefined();
  });

  it('when the check is on but no Twilio account exists at all, then no lookup is made and the text goes out', async () => {
    await setup({ landlineCheck: true }, {});
    expect(await missACall()).toBe('texted');
  });
});
