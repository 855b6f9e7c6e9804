// Installs keep working for years: a token left idle for 30 days is refreshed by the daily keep-alive job.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { scheduleTokenKeepalive } from '../../src/jobs/token-keepalive.js';
import { DAY } from '../../src/lib/clock.js';

let h: Harness;
beforeEach(async () => { h = await createHarness(); await h.seedLocation('loc-idle'); });
afterEach(async () => { await h.close(); });

describe('token keep-alive', () => {
  it('when an installation has been idle for over 30 days, then its refresh token is rotated once and the new one saved', async () => {
    let form = '';
    h.highLevel().post('/oauth/token', (body) => { form = body; return true; }).reply(200, {
      access_token: 'fresh-access', token_type: 'Bearer', expires_in: 86399, refresh_token: 'fresh-refresh', userType: 'Location', locationId: 'loc-idle', companyId: 'company-1',
    });
    await scheduleTokenKeepalive(h.app.storage.queue, h.clock.now());
    await h.advance(DAY); // not idle long enough yet
    expect(form).toBe('');
    await h.advance(30 * DAY);
    expect(new URLSearchParams(form).get('grant_type')).toBe('refresh_token');
    expect(new URLSearchParams(form).get('refresh_token')).toBe('refresh-loc-idle');
    const pending = await h.sql.value(`SELECT COUNT(*) FROM jobs WHERE kind = 'token-keepalive' AND status = 'pending'`);
    expect(pending).toBe(1);
  });
});
