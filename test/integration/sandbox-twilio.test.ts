// The sandbox's Twilio-route sub-account over real HTTP: the app's Twilio clients talk to the stand-in Twilio, whose
// signed status callbacks and inbound texts the app verifies, and the texts show in the stand-in HighLevel's
// conversation through the app's custom channel (issue 19, point 5).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO, TWILIO_DEMO } from '../../src/sandbox/demo-world.js';
import { DELIVERED_AFTER_MS } from '../../src/sandbox/fake-twilio.js';
import { startSandboxServer, type SandboxServer } from '../../src/sandbox/server.js';
import { startSandboxesBesideDatabaseUrl } from '../helpers/untouched-database-url.js';

// On PostgreSQL, DATABASE_URL names an empty database the sandbox must leave untouched.
startSandboxesBesideDatabaseUrl();

/** Tuesday 6 January 2026, 11:00 in New York: inside every send window. */
const TUESDAY_11AM_NY = Date.UTC(2026, 0, 6, 16, 0, 0);
const RILEY = TWILIO_DEMO.callers[0].phone;
const LOCATION = TWILIO_DEMO.locationId;

interface ConversationItem { direction: string; by: string; body: string; status: string }
interface State {
  business: { locationId: string; installed: boolean; route: string; provider: string };
  locations: { locationId: string; route: string }[];
  callers: { phone: string; items: { type: string; body?: string; status?: string; meaning?: { text: string } | null }[]; conversation: ConversationItem[] | null }[];
}

let server: SandboxServer;
let dataDir: string;

afterEach(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<SandboxServer> {
  dataDir = mkdtempSync(join(tmpdir(), 'textback-sandbox-twilio-'));
  server = await startSandboxServer({ port: 0, dataDir, clockStartAt: TUESDAY_11AM_NY, twilioCallbackTimer: false });
  return server;
}

async function settle(): Promise<void> {
  let idle = 0;
  for (let round = 0; round < 50 && idle < 2; round++) idle = (await server.app.worker.runDue()) === 0 ? idle + 1 : 0;
}

async function act(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status, await response.text()).toBe(202);
  await settle();
}

/** Sandbox time passes by `ms`: the stand-in Twilio posts the callbacks due, and the jobs they start run. */
async function pass(ms: number): Promise<void> {
  server.sandbox.clock.advance(ms);
  await server.sandbox.twilio.deliverDue();
  await settle();
}

async function state(location = LOCATION): Promise<State> {
  return (await fetch(`${server.url}/sandbox/api/state?location=${location}`)).json() as Promise<State>;
}

const twilioTexts = () => server.sandbox.twilio.messages().filter((m) => m.direction === 'outbound-api');
const conversation = () => server.sandbox.standIn.channelMessages({ locationId: LOCATION });

describe('the sandbox sub-account that texts through Twilio', () => {
  it('when the sandbox starts, then it is installed on the Twilio route, its account sealed in the app, beside the HighLevel one', async () => {
    await start();
    const s = await state();
    expect(s.business).toMatchObject({ locationId: LOCATION, installed: true, route: 'twilio', provider: 'twilio' });
    expect(s.locations.map((l) => [l.locationId, l.route])).toEqual([[DEMO.locationId, 'highlevel'], [LOCATION, 'twilio']]);
    const sealed = server.app.db!.prepare('SELECT credentials, from_number FROM twilio_accounts WHERE location_id = ?').get(LOCATION) as { credentials: string; from_number: string };
    expect(sealed.from_number).toBe(TWILIO_DEMO.number);
    expect(sealed.credentials).not.toContain(TWILIO_DEMO.twilio.authToken);
  });

  it('when a call is missed, then Twilio sends the text-back and the conversation shows it outbound, pending, then delivered by the signed callbacks', async () => {
    await start();
    await act('/sandbox/api/calls', { from: RILEY, status: 'voicemail', location: LOCATION });

    expect(twilioTexts()).toMatchObject([{ to: RILEY, from: TWILIO_DEMO.number, status: 'queued', body: expect.stringMatching(/^Hi Riley, this is Bright Smile Dental/) }]);
    expect(server.sandbox.standIn.sentMessages({ locationId: LOCATION })).toEqual([]);
    expect(conversation()).toMatchObject([{ direction: 'outbound', message: twilioTexts()[0].body, status: 'pending', altId: twilioTexts()[0].sid }]);

    await pass(DELIVERED_AFTER_MS);

    expect(twilioTexts()[0].status).toBe('delivered');
    expect(conversation()).toMatchObject([{ direction: 'outbound', status: 'delivered' }]);
    expect(server.app.db!.prepare('SELECT status FROM messages WHERE location_id = ?').pluck().all(LOCATION)).toEqual(['delivered']);
    const riley = (await state()).callers.find((c) => c.phone === RILEY)!;
    expect(riley.items.find((i) => i.type === 'text-out')!.status).toBe('delivered');
    expect(riley.conversation).toMatchObject([{ direction: 'outbound', by: 'textback', status: 'delivered' }]);
  });

  it('when the caller replies to the Twilio number, then the reply appears in the conversation once, as inbound, and cancels the follow-up', async () => {
    await start();
    await act('/sandbox/api/calls', { from: RILEY, status: 'voicemail', location: LOCATION });
    await pass(DELIVERED_AFTER_MS);

    await act('/sandbox/api/texts', { from: RILEY, body: 'Can I come at 3?', location: LOCATION });
    await pass(DELIVERED_AFTER_MS);

    expect(conversation().filter((m) => m.direction === 'inbound')).toMatchObject([{ message: 'Can I come at 3?', status: 'delivered' }]);
    const riley = (await state()).callers.find((c) => c.phone === RILEY)!;
    expect(riley.items.find((i) => i.type === 'text-in')!.meaning!.text).toMatch(/^Reply/);
    expect(riley.conversation!.map((m) => [m.by, m.direction])).toEqual([['textback', 'outbound'], ['caller', 'inbound']]);
    await pass(3 * 60 * 60_000);
    expect(twilioTexts()).toHaveLength(1);
  });

  it('when staff type in the conversation, then the message reaches the caller through Twilio once and shows delivered in HighLevel', async () => {
    await start();
    await act('/sandbox/api/calls', { from: RILEY, status: 'voicemail', location: LOCATION });

    await act('/sandbox/api/staff-messages', { to: RILEY, body: 'We have a slot at 3 PM today', location: LOCATION });
    // HighLevel answers 403 to the provider's status updates for a few seconds: the app tries again after them.
    for (let i = 0; i < 4; i++) await pass(DELIVERED_AFTER_MS);

    expect(twilioTexts().filter((m) => m.body === 'We have a slot at 3 PM today')).toHaveLength(1);
    expect(twilioTexts()).toHaveLength(2);
    const staff = conversation().filter((m) => m.userId === DEMO.user.userId);
    expect(staff).toMatchObject([{ direction: 'outbound', message: 'We have a slot at 3 PM today', status: 'delivered' }]);
    expect(conversation()).toHaveLength(2);
  });

  it('when staff type at the HighLevel-route sub-account, then 422 names the location and nothing is sent', async () => {
    await start();
    const response = await fetch(`${server.url}/sandbox/api/staff-messages`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to: RILEY, body: 'hello', location: DEMO.locationId }),
    });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { issues: { field: string }[] }).issues.map((i) => i.field)).toEqual(['location']);
    expect(twilioTexts()).toHaveLength(0);
  });
});
