// Sandbox mode end to end over real HTTP: the stand-in HighLevel, the OAuth install at start-up, signed webhooks
// POSTed to the app, the sandbox API and page model, restarts on the same data directory.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HOUR } from '../../src/lib/clock.js';
import { decryptUserContext } from '../../src/highlevel/sso.js';
import { createLocationStore } from '../../src/store/locations.js';
import { mergeSettings } from '../../src/workflow/settings.js';
import { DEMO } from '../../src/sandbox/demo-world.js';
import { startSandboxServer, type SandboxServer } from '../../src/sandbox/server.js';
import { startSandboxesBesideDatabaseUrl } from '../helpers/untouched-database-url.js';

// On PostgreSQL, DATABASE_URL names an empty database the sandbox must leave untouched.
startSandboxesBesideDatabaseUrl();

/** Tuesday 6 January 2026, 11:00 in New York: inside every send window. */
const TUESDAY_11AM_NY = Date.UTC(2026, 0, 6, 16, 0, 0);
/** Tuesday 6 January 2026, 18:30 in New York: a follow-up two hours later falls in quiet hours. */
const TUESDAY_6_30PM_NY = Date.UTC(2026, 0, 6, 23, 30, 0);
const JORDAN = '+12125550142';
const TAYLOR = '+16465550123';

interface Note { text: string; tone: string }
interface Item { type: string; body?: string; label?: string; outcome?: Note; followUp?: Note | null; meaning?: Note | null }
interface State {
  ready: boolean;
  advancedMs: number;
  business: { installed: boolean; enabled: boolean; textBackPolicy: string };
  callers: { phone: string; optedOut: boolean; items: Item[] }[];
}

const dirs: string[] = [];
const servers: SandboxServer[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'textback-sandbox-'));
  dirs.push(dir);
  return dir;
}

async function start(dataDir = newDataDir(), clockStartAt = TUESDAY_11AM_NY): Promise<SandboxServer> {
  const server = await startSandboxServer({ port: 0, dataDir, clockStartAt });
  servers.push(server);
  return server;
}

async function stop(server: SandboxServer): Promise<void> {
  servers.splice(servers.indexOf(server), 1);
  await server.close();
}

async function post(server: SandboxServer, path: string, body: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

/** Runs jobs until the queue has nothing due twice in a row (the background worker may be draining too). */
async function settle(server: SandboxServer): Promise<void> {
  let idle = 0;
  for (let round = 0; round < 50 && idle < 2; round++) idle = (await server.app.worker.runDue()) === 0 ? idle + 1 : 0;
}

async function act(server: SandboxServer, path: string, body: unknown): Promise<void> {
  const { status, json } = await post(server, path, body);
  expect(status, JSON.stringify(json)).toBeLessThan(300);
  await settle(server);
}

async function state(server: SandboxServer): Promise<State> {
  return (await fetch(`${server.url}/sandbox/api/state`)).json() as Promise<State>;
}

function caller(s: State, phone: string) {
  const found = s.callers.find((c) => c.phone === phone);
  if (!found) throw new Error(`no caller ${phone} in ${JSON.stringify(s.callers.map((c) => c.phone))}`);
  return found;
}

const textsTo = (server: SandboxServer, phone: string) =>
  server.sandbox.standIn.sentMessages({ locationId: DEMO.locationId })
    .filter((m) => server.sandbox.standIn.contact(DEMO.locationId, m.contactId)?.phone === phone);

describe('sandbox mode', () => {
  it('when the sandbox starts, then the demo sub-account is installed through the OAuth callback, texts back at any hour, and the key file is private', async () => {
    const dataDir = newDataDir();
    const server = await start(dataDir);

    const s = await state(server);
    expect(s.ready).toBe(true);
    expect(s.business).toMatchObject({ installed: true, enabled: true, textBackPolicy: 'send-immediately' });
    const token = server.app.db!.prepare('SELECT owner_type FROM tokens WHERE owner_id = ?').pluck().get(DEMO.locationId);
    expect(token).toBe('Location');
    // The INSTALL and LocationUpdate webhooks that follow the install were handled: the profile came from the stand-in.
    expect(createLocationStore(server.app.db!).get(DEMO.locationId)).toMatchObject({ name: 'Acme Plumbing', timeZone: 'America/New_York', phone: '+12125550100' });
    expect(server.sandbox.standIn.counters().requests).toBeGreaterThan(0);
    expect(statSync(join(dataDir, 'sandbox.key')).mode & 0o777).toBe(0o600);
    const home = await fetch(`${server.url}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toMatch(/Sandbox mode/);
  });

  it('when a call is missed, then the caller is texted back once, and a reply cancels the follow-up for good', async () => {
    const server = await start();

    await act(server, '/sandbox/api/calls', { from: '(212) 555-0142', status: 'voicemail' });
    expect(textsTo(server, JORDAN)).toHaveLength(1);
    expect(textsTo(server, JORDAN)[0].message).toMatch(/^Hi Jordan, this is Acme Plumbing/);
    let call = caller(await state(server), JORDAN).items.find((i) => i.type === 'call')!;
    expect(call.outcome!.text).toBe('Texted back');
    expect(call.followUp!.text).toMatch(/^Follow-up due /);

    await act(server, '/sandbox/api/texts', { from: JORDAN, body: 'Yes, my sink is leaking' });
    const jordan = caller(await state(server), JORDAN);
    call = jordan.items.find((i) => i.type === 'call')!;
    expect(call.followUp!.text).toBe('Follow-up cancelled: the caller replied');
    expect(jordan.items.find((i) => i.type === 'text-in')!.meaning!.text).toMatch(/^Reply/);

    await act(server, '/sandbox/api/time', { hours: 3 });
    expect(textsTo(server, JORDAN)).toHaveLength(1);
  });

  it('when three hours pass, then the follow-up is sent; after STOP a further call gets nothing', async () => {
    const server = await start();

    await act(server, '/sandbox/api/calls', { from: TAYLOR, status: 'no-answer' });
    await act(server, '/sandbox/api/time', { hours: 3 });
    expect(textsTo(server, TAYLOR).map((m) => m.message)).toEqual([
      expect.stringContaining('Sorry we missed your call'),
      expect.stringContaining('following up on your missed call'),
    ]);
    expect(caller(await state(server), TAYLOR).items.find((i) => i.type === 'call')!.followUp!.text).toBe('Follow-up sent');
    expect((await state(server)).advancedMs).toBe(3 * HOUR);

    await act(server, '/sandbox/api/texts', { from: TAYLOR, body: 'STOP' });
    await act(server, '/sandbox/api/time', { hours: 24 });
    await act(server, '/sandbox/api/calls', { from: TAYLOR, status: 'busy' });

    const taylor = caller(await state(server), TAYLOR);
    expect(taylor.optedOut).toBe(true);
    expect(taylor.items.filter((i) => i.type === 'call').at(-1)!.outcome!.text).toBe('Not texted: this number opted out (STOP)');
    expect(textsTo(server, TAYLOR)).toHaveLength(2);
  });

  it("when two days pass, then the app refreshes the stand-in's expired token and still texts back", async () => {
    const server = await start();
    await act(server, '/sandbox/api/time', { hours: 48 });

    await act(server, '/sandbox/api/calls', { from: JORDAN, status: 'voicemail' });

    expect(server.sandbox.standIn.counters().refreshes).toBeGreaterThanOrEqual(1);
    expect(textsTo(server, JORDAN)).toHaveLength(1);
  });

  it('when a call is answered, then nothing is sent and the page says so', async () => {
    const server = await start();

    await act(server, '/sandbox/api/calls', { from: JORDAN, status: 'completed' });

    expect(caller(await state(server), JORDAN).items[0].outcome!.text).toBe('Answered, so TextBack stays quiet');
    expect(textsTo(server, JORDAN)).toHaveLength(0);
  });

  it("when a follow-up falls due in the caller's quiet hours, then it waits and the page says until when", async () => {
    const server = await start(newDataDir(), TUESDAY_6_30PM_NY);

    await act(server, '/sandbox/api/calls', { from: JORDAN, status: 'voicemail' });
    expect(textsTo(server, JORDAN)).toHaveLength(1);
    await act(server, '/sandbox/api/time', { hours: 3 });

    const call = caller(await state(server), JORDAN).items.find((i) => i.type === 'call')!;
    expect(call.followUp).toEqual({ text: "Follow-up held by the caller's quiet hours until Wed 9:00 AM", tone: 'warn' });
    expect(textsTo(server, JORDAN)).toHaveLength(1);
  });

  it('when the sandbox restarts on the same data directory, then it keeps its key, its time and the settings, and still texts back', async () => {
    const dataDir = newDataDir();
    let server = await start(dataDir);
    await act(server, '/sandbox/api/calls', { from: TAYLOR, status: 'voicemail' });
    await act(server, '/sandbox/api/time', { hours: 1 });
    const locations = createLocationStore(server.app.db!);
    const settings = locations.get(DEMO.locationId)!.settings;
    locations.saveSettings(DEMO.locationId, mergeSettings(settings, { textBackPolicy: 'respect-quiet-hours' }), server.app.clock.now());
    const key = readFileSync(join(dataDir, 'sandbox.key'), 'utf8');
    await stop(server);

    server = await start(dataDir);
    expect(readFileSync(join(dataDir, 'sandbox.key'), 'utf8')).toBe(key);
    const s = await state(server);
    expect(s.business).toMatchObject({ installed: true, textBackPolicy: 'respect-quiet-hours' });
    expect(s.advancedMs).toBe(HOUR);
    const sinceNoon = server.app.clock.now() - Date.UTC(2026, 0, 6, 17, 0, 0);
    expect(sinceNoon).toBeGreaterThanOrEqual(0);
    expect(sinceNoon).toBeLessThan(60_000);

    // The follow-up scheduled before the restart reaches the same contact through the new stand-in.
    await act(server, '/sandbox/api/time', { hours: 2 });
    expect(textsTo(server, TAYLOR).map((m) => m.message)).toEqual([expect.stringContaining('following up')]);
    await act(server, '/sandbox/api/calls', { from: JORDAN, status: 'busy' });
    expect(textsTo(server, JORDAN)).toHaveLength(1);
  });

  it('when the embedded page asks for the user, then the payload decrypts with the shared secret to the demo sub-account', async () => {
    const server = await start();

    const { payload } = await (await fetch(`${server.url}/sandbox/api/user-context`)).json() as { payload: string };

    expect(decryptUserContext(payload, 'sandbox-shared-secret')).toMatchObject({
      activeLocation: DEMO.locationId, companyId: DEMO.companyId, role: 'admin', type: 'agency',
    });
  });

  it('when the caller number or the time step is invalid, then 422 names the field and nothing is sent', async () => {
    const server = await start();

    const call = await post(server, '/sandbox/api/calls', { from: 'not a number', status: 'voicemail' });
    const time = await post(server, '/sandbox/api/time', { hours: -1 });

    expect(call.status).toBe(422);
    expect(call.json.issues.map((i: { field: string }) => i.field)).toEqual(['from']);
    expect(time.status).toBe(422);
    expect(server.sandbox.standIn.sentMessages()).toHaveLength(0);
  });
});
