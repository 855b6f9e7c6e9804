// Installing from the marketplace: the OAuth callback, agency installs and their minted location tokens.
import { readFileSync, existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, missedCall, type Harness } from '../helpers/harness.js';
import manifest from '../../app-manifest.json' with { type: 'json' };

let h: Harness;
beforeEach(async () => { h = await createHarness(); });
afterEach(async () => { await h.close(); });

const locationToken = {
  access_token: 'loc-access-token-AAAA', token_type: 'Bearer', expires_in: 86399, refresh_token: 'loc-refresh-token-BBBB',
  scope: 'conversations/message.write', userType: 'Location', locationId: 'loc-new', companyId: 'comp-1', userId: 'user-1', planId: 'plan-x',
};

describe('GET /oauth/callback', () => {
  it('when HighLevel accepts the code, then the location is installed, enabled, and its tokens are sealed at rest', async () => {
    let form = '';
    h.highLevel().post('/oauth/token', (body) => { form = new URLSearchParams(body).toString(); return true; }).reply(200, locationToken);
    const res = await h.http.get('/oauth/callback?code=good-code-123');
    expect(res.status).toBe(200);
    expect(res.text).toContain('TextBack is installed');
    const params = new URLSearchParams(form);
    expect(params.get('grant_type')).toBe('authorization_code');
    expect(params.get('code')).toBe('good-code-123');
    expect(params.get('redirect_uri')).toBe('https://textback.test/oauth/callback');

    const location = await h.sql.get('SELECT status, settings FROM locations WHERE location_id = ?', 'loc-new') as { status: string; settings: string };
    expect(location.status).toBe('installed');
    expect(JSON.parse(location.settings).enabled).toBe(true);
    expect(await h.sql.column(`SELECT action FROM audit_log`)).toContain('install');

    // Sealed at rest: not in the token row on either engine, nor anywhere in SQLite's files.
    expect(JSON.stringify(await h.sql.all('SELECT * FROM tokens'))).not.toMatch(/loc-access-token-AAAA|loc-refresh-token-BBBB/);
    if (h.engine === 'sqlite') h.app.db.pragma('wal_checkpoint(FULL)');
    for (const file of h.engine === 'sqlite' ? [h.config.databasePath, `${h.config.databasePath}-wal`] : []) {
      if (!existsSync(file)) continue;
      const bytes = readFileSync(file).toString('latin1');
      expect(bytes).not.toContain('loc-access-token-AAAA');
      expect(bytes).not.toContain('loc-refresh-token-BBBB');
    }
  });

  it('when the code is reused or bad, then a clear 400 page and nothing is stored', async () => {
    h.highLevel().post('/oauth/token').reply(400, { error: 'invalid_grant', error_description: 'Invalid authorization code' });
    const res = await h.http.get('/oauth/callback?code=used-code-123');
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/expired or was already used/);
    expect(await h.sql.value('SELECT COUNT(*) FROM tokens')).toBe(0);
    expect(await h.sql.value('SELECT COUNT(*) FROM locations')).toBe(0);
  });

  it('when the code is missing, then 400 without calling HighLevel', async () => {
    expect((await h.http.get('/oauth/callback')).status).toBe(400);
    expect((await h.http.get('/oauth/callback?code=')).status).toBe(400);
  });

  it('when an agency installs in bulk, then its sub-accounts are served with tokens minted on first need', async () => {
    h.highLevel().post('/oauth/token').reply(200, {
      ...locationToken, userType: 'Company', locationId: undefined, companyId: 'comp-1', access_token: 'company-access', refresh_token: 'company-refresh',
      approvedLocations: ['loc-a', 'loc-b'], isBulkInstallation: true,
    });
    expect((await h.http.get('/oauth/callback?code=agency-code-1')).status).toBe(200);
    expect(await h.sql.column(`SELECT location_id FROM locations ORDER BY location_id`)).toEqual(['loc-a', 'loc-b']);

    let mintedWith = '';
    h.highLevel().post('/oauth/locationToken', (body) => { mintedWith = new URLSearchParams(body).toString(); return true; })
      .matchHeader('authorization', 'Bearer company-access').matchHeader('version', '2021-07-28')
      .reply(200, { access_token: 'minted-a', token_type: 'Bearer', expires_in: 86399, userType: 'Location', locationId: 'loc-a', companyId: 'comp-1' });
    h.highLevel().get('/locations/loc-a').matchHeader('authorization', 'Bearer minted-a')
      .reply(200, { location: { id: 'loc-a', name: 'Bravo Dental', timezone: 'America/New_York', phone: '+15550001111' } });
    h.highLevel().get('/phone-system/numbers/location/loc-a').reply(200, { numbers: [{ phoneNumber: '+15550001111', isDefaultNumber: true }] });
    h.highLevel().get('/contacts/c-1').matchHeader('authorization', 'Bearer minted-a').reply(200, { contact: { id: 'c-1', phone: '+12125550147' } });
    const sends: string[] = [];
    h.highLevel().post('/conversations/messages').matchHeader('authorization', 'Bearer minted-a')
      .reply(201, (_uri, body) => { sends.push((body as { message: string }).message); return { conversationId: 'c', messageId: 'm' }; });

    await h.webhook(missedCall({ locationId: 'loc-a', contactId: 'c-1', from: '+12125550147' }));
    await h.runJobs();
    expect(new URLSearchParams(mintedWith).get('locationId')).toBe('loc-a');
    expect(sends).toHaveLength(1);
    expect(sends[0]).toContain('Bravo Dental');
  });

  it('when a missed call comes for an agency sub-account whose INSTALL never arrived, then it is adopted and served', async () => {
    h.highLevel().post('/oauth/token').reply(200, { ...locationToken, userType: 'Company', locationId: undefined, access_token: 'company-access', refresh_token: 'company-refresh', approvedLocations: [] });
    await h.http.get('/oauth/callback?code=agency-code-2');
    // The agency is found through its list of installed locations, not by minting to see what happens.
    h.highLevel().get('/oauth/installedLocations').query((q) => q.companyId === 'comp-1' && q.appId === 'app123')
      .reply(200, { locations: [{ _id: 'loc-z', name: 'Zed Roofing', address: '', isInstalled: true }], count: 1 });
    h.highLevel().post('/oauth/locationToken').reply(200, { access_token: 'minted-z', expires_in: 86399, userType: 'Location', locationId: 'loc-z', companyId: 'comp-1' });
    h.highLevel().get('/locations/loc-z').reply(200, { location: { id: 'loc-z', name: 'Zed Roofing', timezone: 'America/New_York' } });
    h.highLevel().get('/phone-system/numbers/location/loc-z').reply(200, { numbers: [] });
    h.highLevel().get('/contacts/c-9').reply(200, { contact: { id: 'c-9', phone: '+12125550148' } });
    h.highLevel().post('/conversations/messages').reply(201, { conversationId: 'c', messageId: 'm' });
    await h.webhook(missedCall({ locationId: 'loc-z', contactId: 'c-9', from: '+12125550148' }));
    await h.runJobs();
    expect(await h.sql.value(`SELECT decision FROM calls`)).toBe('texted');
  });
});

describe('agency uninstall', () => {
  it('when the agency removes the app, then its company token and the sub-accounts it brought in are uninstalled at once', async () => {
    h.highLevel().post('/oauth/token').reply(200, { ...locationToken, userType: 'Company', locationId: undefined, access_token: 'company-access', refresh_token: 'company-refresh', approvedLocations: ['loc-a', 'loc-b'] });
    await h.http.get('/oauth/callback?code=agency-code-3');
    // loc-b also installed the app itself: it keeps it until its own UNINSTALL.
    h.highLevel().post('/oauth/token').reply(200, { ...locationToken, locationId: 'loc-b' });
    await h.http.get('/oauth/callback?code=location-code-b');

    expect((await h.webhook({ type: 'UNINSTALL', appId: 'app123', companyId: 'comp-1' })).status).toBe(200);
    await h.runJobs();
    const status = await h.sql.all('SELECT location_id, status FROM locations ORDER BY location_id');
    expect(status).toEqual([{ location_id: 'loc-a', status: 'uninstalled' }, { location_id: 'loc-b', status: 'installed' }]);
    expect(await h.sql.column('SELECT owner_id FROM tokens')).toEqual(['loc-b']);
    expect(await h.sql.value('SELECT uninstalled_at FROM companies')).not.toBeNull();
  });
});

describe('GET /oauth/install', () => {
  it('when an agency starts an install, then it is sent to HighLevel\'s chooselocation page with the manifest scopes', async () => {
    const res = await h.http.get('/oauth/install');
    expect(res.status).toBe(302);
    const url = new URL(res.headers.location);
    expect(url.origin + url.pathname).toBe('https://marketplace.gohighlevel.com/v2/oauth/chooselocation');
    expect(url.searchParams.get('client_id')).toBe('app123-client');
    expect(url.searchParams.get('redirect_uri')).toBe('https://textback.test/oauth/callback');
    expect(url.searchParams.get('scope')?.split(' ')).toEqual(manifest.oauth.scopes);
  });
});
