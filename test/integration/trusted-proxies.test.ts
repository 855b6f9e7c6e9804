// TRUSTED_PROXIES decides whose X-Forwarded-For is believed, and so which client a rate limit counts against.
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { loadConfig } from '../../src/config.js';

const LOC = 'loc-acme';
let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

const optOut = (n: number, forwardedFor: string) =>
  h!.http.post(`/optout/${LOC}`).set('x-forwarded-for', forwardedFor).type('form').send({ phone: `+1312555${1000 + n}` });

describe('TRUSTED_PROXIES', () => {
  it('when the request comes through a trusted proxy (loopback, by default), then each forwarded client has its own limit', async () => {
    h = await createHarness();
    await h.seedLocation(LOC);
    for (let i = 0; i < 5; i++) expect((await optOut(i, '203.0.113.1')).status).toBe(200);
    expect((await optOut(5, '203.0.113.1')).status).toBe(429);
    expect((await optOut(6, '203.0.113.2')).status).toBe(200);
  });

  it('when the connecting address is not a trusted proxy, then X-Forwarded-For is ignored: rotating it does not escape the limit', async () => {
    h = await createHarness({ env: { TRUSTED_PROXIES: '10.20.30.40, 192.168.0.0/16' } });
    await h.seedLocation(LOC);
    for (let i = 0; i < 5; i++) expect((await optOut(i, `203.0.113.${i + 1}`)).status).toBe(200);
    expect((await optOut(5, '203.0.113.99')).status).toBe(429);
  });

  it('when an entry is neither a range name, an address nor a CIDR range, then start-up refuses it, naming the variable', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', TRUSTED_PROXIES: 'loopback, proxy.example.com' })).toThrow(/^TRUSTED_PROXIES: /);
    expect(() => loadConfig({ NODE_ENV: 'test', TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(/TRUSTED_PROXIES/);
    expect(loadConfig({ NODE_ENV: 'test', TRUSTED_PROXIES: 'none' }).trustedProxies).toEqual([]);
  });
});
