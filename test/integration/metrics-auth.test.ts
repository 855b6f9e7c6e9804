// GET /metrics answers only a scraper holding METRICS_TOKEN: a request from loopback (a reverse proxy on the same
// host) proves nothing. Unset: there is no /metrics at all.
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { loadConfig } from '../../src/config.js';

const TOKEN = 'scraper-token-0123456789abcdef';
let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

describe('GET /metrics', () => {
  it('when METRICS_TOKEN is unset, then /metrics answers 404, from loopback too', async () => {
    h = await createHarness();
    const res = await h.http.get('/metrics');
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('textback_');
  });

  it('when METRICS_TOKEN is set, then a request without it, or with another token, gets 401 and no figures', async () => {
    h = await createHarness({ env: { METRICS_TOKEN: TOKEN } });
    const anonymous = await h.http.get('/metrics').set('x-forwarded-for', '203.0.113.9');
    const wrong = await h.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}x`);
    const basic = await h.http.get('/metrics').set('Authorization', `Basic ${Buffer.from(`user:${TOKEN}`).toString('base64')}`);
    for (const res of [anonymous, wrong, basic]) {
      expect(res.status).toBe(401);
      expect(res.text).not.toContain('textback_');
    }
  });

  it('when the scraper sends the bearer token, then it gets the Prometheus text', async () => {
    h = await createHarness({ env: { METRICS_TOKEN: TOKEN } });
    const res = await h.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.text).toContain('textback_jobs');
  });

  it('when METRICS_TOKEN is too short to be a secret, then start-up refuses it, naming the variable', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 16 characters/);
  });
});
