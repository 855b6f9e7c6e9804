// White-label CRMs: agencies serve HighLevel from their own domains (INSTALL's whitelabelDetails.domain). The settings
// page may be framed by a learned domain without any configuration, and frame-ancestors never lists every agency.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';

const HIGHLEVEL_OWN = ['https://app.gohighlevel.com', 'https://*.gohighlevel.com', 'https://app.leadconnectorhq.com', 'https://*.leadconnectorhq.com', 'https://*.msgsndr.com'];
const installLocationSample = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/highlevel/payloads/install-location.json'), 'utf8')) as Record<string, unknown>;

let h: Harness;
afterEach(async () => { await h.close(); });

/** GET /app as a browser loads it inside an iframe of `parent` (or top-level with `dest: 'document'`). */
async function framedBy(parent: string | null, dest = 'iframe') {
  const req = h.http.get('/app').set('sec-fetch-dest', dest).set('sec-fetch-site', 'cross-site');
  if (parent) req.set('referer', parent);
  const res = await req;
  expect(res.status).toBe(200);
  const csp = String(res.headers['content-security-policy']);
  const directive = csp.split(';').map((part) => part.trim()).find((part) => part.startsWith('frame-ancestors ')) ?? '';
  return { sources: directive.split(/\s+/).slice(1), header: csp, vary: String(res.headers.vary ?? '') };
}

describe('white-label domains learned from INSTALL', () => {
  it("when an agency's INSTALL (HighLevel's sample) names its white-label domain, then the page framed from that domain is allowed", async () => {
    h = await createHarness({ env: { HIGHLEVEL_CLIENT_ID: 've9EPM428h8vShlRW1KT-textback' } });
    expect((await framedBy('https://example.com/v2/location/abc/custom-page-link/1')).sources).not.toContain('https://example.com');

    expect((await h.webhook(installLocationSample)).status).toBe(200);
    await h.runJobs();

    const framed = await framedBy('https://example.com/v2/location/abc/custom-page-link/1');
    expect(framed.sources).toEqual(["'self'", ...HIGHLEVEL_OWN, 'https://example.com']);
    // The header depends on the Referer: shared caches must keep one copy per parent.
    expect(framed.vary).toMatch(/referer/i);
    // Opened top-level, or framed by a domain nobody installed from, the learned origin is not named.
    expect((await framedBy('https://example.com/', 'document')).sources).not.toContain('https://example.com');
    expect((await framedBy('https://example.org/')).sources).toEqual(["'self'", ...HIGHLEVEL_OWN]);
  });

  it('when forty agencies installed from their own domains, then the header names HighLevel, FRAME_ANCESTORS and only the parent of this request', async () => {
    h = await createHarness({ env: { FRAME_ANCESTORS: 'https://crm.partner.test' } });
    for (let i = 0; i < 40; i++) {
      const res = await h.webhook({
        type: 'INSTALL', appId: 'app123', locationId: `loc-${i}`, companyId: `agency-${i}`, userId: `user-${i}`,
        isWhitelabelCompany: true, whitelabelDetails: { domain: `app.agency-${i}.example`, logoUrl: `https://app.agency-${i}.example/logo.png` },
      });
      expect(res.status).toBe(200);
    }
    await h.runJobs();

    const unframed = await framedBy(null);
    expect(unframed.sources).toEqual(["'self'", 'https://crm.partner.test', ...HIGHLEVEL_OWN]);
    const framed = await framedBy('https://app.agency-7.example/');
    expect(framed.sources).toEqual([...unframed.sources, 'https://app.agency-7.example']);
    expect(framed.header.length - unframed.header.length).toBe(' https://app.agency-7.example'.length);
    expect(framed.header).not.toContain('agency-8');
  });

  it('when a white-label domain is written oddly or is not a host name, then it is learned as its https origin or not at all', async () => {
    h = await createHarness();
    const domains = ['HTTPS://CRM.Odd-Agency.Example/', "evil.test; script-src 'unsafe-inline'", 'http://plain.example', '*.wild.example', '10.0.0.1'];
    for (const [i, domain] of domains.entries()) {
      await h.webhook({ type: 'INSTALL', appId: 'app123', locationId: `loc-${i}`, companyId: `agency-${i}`, whitelabelDetails: { domain } });
    }
    await h.runJobs();
    expect((await framedBy('https://crm.odd-agency.example/')).sources).toContain('https://crm.odd-agency.example');
    for (const parent of ['https://evil.test/', 'http://plain.example/', 'https://plain.example/', 'https://x.wild.example/', 'https://10.0.0.1/']) {
      expect((await framedBy(parent)).sources, parent).toEqual(["'self'", ...HIGHLEVEL_OWN]);
    }
    expect((await framedBy('https://evil.test/')).header).not.toContain('unsafe-inline');
  });
});
