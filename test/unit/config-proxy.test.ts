// A proxy in the environment: HighLevel's API requests then go through axios's own adapter, which honours it.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

const LIVE = {
  NODE_ENV: 'production', HIGHLEVEL_CLIENT_ID: 'app123-client', HIGHLEVEL_CLIENT_SECRET: 'secret', HIGHLEVEL_SHARED_SECRET: 'shared',
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};

describe('a proxy for HighLevel requests', () => {
  it('when no proxy variable is set (or one is blank), then requests go straight out', () => {
    expect(loadConfig(LIVE).highLevel.viaProxy).toBe(false);
    expect(loadConfig({ ...LIVE, HTTPS_PROXY: '' }).highLevel.viaProxy).toBe(false);
  });

  it.each(['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'])('when %s is set, then requests go through the proxy', (name) => {
    expect(loadConfig({ ...LIVE, [name]: 'http://proxy.internal:3128' }).highLevel.viaProxy).toBe(true);
  });
});
