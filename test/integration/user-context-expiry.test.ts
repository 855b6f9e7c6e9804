// A captured HighLevel user context expires: its first use is remembered in the database (every instance agrees)
// and it opens no session 12 hours later; a fresh context from HighLevel still does.
import { Writable } from 'node:stream';
import supertest from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { seedCompany, userContextPayload } from '../helpers/session.js';
import { composeApp, openConfiguredStorage, type ComposedApp } from '../../src/compose.js';
import { DAY, HOUR, MINUTE } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';

const LOC = 'loc-acme';
const AGENCY = 'company-1';
let h: Harness;
let second: ComposedApp | undefined;

beforeEach(async () => {
  h = await createHarness();
  await h.seedLocation(LOC, { companyId: AGENCY });
  await seedCompany(h, AGENCY);
});
afterEach(async () => {
  await second?.stop();
  second = undefined;
  await h.close();
});

const exchange = (payload: string, http = h.http, path = '/api/session') => http.post(path).send({ payload });

describe('POST /api/session with a context used before', () => {
  it('when the same context comes back within 12 h, then it still opens a session; after 12 h, 401; a fresh context works', async () => {
    const captured = userContextPayload(h, { activeLocation: LOC });
    expect((await exchange(captured)).status).toBe(200);
    h.clock.advance(12 * HOUR);
    expect((await exchange(captured)).status).toBe(200);

    h.clock.advance(MINUTE);
    const late = await exchange(captured);
    expect(late.status).toBe(401);
    expect(late.body.error).toBe('context_expired');
    expect(late.body.token).toBeUndefined();
    // Spacing it differently is the same context.
    expect((await exchange(captured.replace(/(.{16})/g, '$1\n'))).status).toBe(401);

    expect((await exchange(userContextPayload(h, { activeLocation: LOC }))).status).toBe(200);
  });

  it('when a context first used on one instance is replayed on another 13 h later, then that instance refuses it too', async () => {
    const quiet = createLogger({ level: 'silent', destination: new Writable({ write(_c, _e, done) { done(); } }) });
    second = composeApp({ config: h.config, clock: h.clock, logger: quiet, ...await openConfiguredStorage(h.config, { clock: h.clock }) });
    const other = supertest(second.handler);
    const captured = userContextPayload(h, { activeLocation: LOC });
    expect((await exchange(captured)).status).toBe(200);
    h.clock.advance(13 * HOUR);
    expect((await exchange(captured, other)).status).toBe(401);
  });

  it('when an agency context is replayed after 12 h, then /api/agency-session refuses it the same way', async () => {
    const captured = userContextPayload(h, { companyId: AGENCY, activeLocation: undefined });
    expect((await exchange(captured, h.http, '/api/agency-session')).status).toBe(200);
    h.clock.advance(12 * HOUR + MINUTE);
    const late = await exchange(captured, h.http, '/api/agency-session');
    expect(late.status).toBe(401);
    expect(late.body.error).toBe('context_expired');
  });

  it('when first uses are months old, then they are pruned, and the payload itself is never stored', async () => {
    const captured = userContextPayload(h, { activeLocation: LOC });
    await exchange(captured);
    const rows = async () => await h.sql.column('SELECT payload_hash FROM user_context_uses') as string[];
    expect(await rows()).toHaveLength(1);
    expect((await rows())[0]).not.toContain(captured.slice(0, 24));
    h.clock.advance(91 * DAY);
    await exchange(userContextPayload(h, { activeLocation: LOC }));
    expect(await rows()).toHaveLength(1);
  });
});
