// The sandbox's HTTP surface, mounted only in sandbox mode: the home page at / (static files from views/sandbox)
// and /sandbox/api/* to act as a caller of either demo sub-account (?location= / `location`, the first by default),
// type as staff in the Twilio sub-account's HighLevel conversation, make time pass, and read what happened.
import express, { Router, type Response } from 'express';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { ComposedApp } from '../compose.js';
import { encryptUserContext } from '../highlevel/sso.js';
import { parseOr422 } from '../http/validation.js';
import { HOUR } from '../lib/clock.js';
import { toE164 } from '../lib/phone.js';
import type { CallerActions } from './caller-actions.js';
import { DEMO, DEMO_LOCATIONS, demoLocation, type DemoLocation } from './demo-world.js';
import { TwilioWebhookError, type FakeTwilio } from './fake-twilio.js';
import type { Observer } from './observe.js';
import type { SandboxClock } from './sandbox-clock.js';
import { buildLocationState } from './sandbox-state.js';
import { createTimeFormatter, formatPhone } from './sandbox-view.js';
import type { StandIn } from './standin/index.js';
import { WebhookDeliveryError } from './webhook-poster.js';

export interface SandboxRuntime {
  clock: SandboxClock;
  standIn: StandIn;
  twilio: FakeTwilio;
  /** The caller actions at a demo sub-account. */
  actions(locationId: string): CallerActions;
  /** A team member types in the contact's conversation, in the app's channel: HighLevel's ProviderOutboundMessage follows. */
  sendStaffMessage(input: { locationId: string; contactId: string; message: string }): Promise<{ messageId: string }>;
  sharedSecret: string;
  /** Null until the app is composed and the demo sub-accounts installed. */
  ready(): { app: ComposedApp; observer(locationId: string): Observer } | null;
  /** Called after sandbox time moved by `ms` (the sandbox persists the offset). */
  onTimeMoved(ms: number): void;
  /** How much time the page made pass since the sandbox was created. */
  timeAdvanced(): number;
}

const PhoneSchema = z.string().trim().min(3).max(32)
  .refine((raw) => toE164(raw) !== null, 'Not a valid phone number (try (212) 555-0142)')
  .transform((raw) => toE164(raw)!);
const LocationSchema = z.string().refine((id) => demoLocation(id) !== undefined, 'Not a demo sub-account').default(DEMO.locationId);
const CallSchema = z.object({ from: PhoneSchema, status: z.enum(['voicemail', 'no-answer', 'busy', 'canceled', 'failed', 'completed']), location: LocationSchema });
const TextSchema = z.object({ from: PhoneSchema, body: z.string().trim().min(1).max(1600), location: LocationSchema });
const StaffSchema = z.object({ to: PhoneSchema, body: z.string().trim().min(1).max(1600), location: LocationSchema })
  .refine((input) => demoLocation(input.location)!.route === 'twilio', { message: 'Only the Twilio sub-account has TextBack\'s conversation channel', path: ['location'] });
const TimeSchema = z.object({ hours: z.number().positive().max(24 * 30) });

/** views/sandbox, found upwards from this file so it works from src/ (tests) and dist/src/ (npm start). */
export function findSandboxViews(start = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'views', 'sandbox');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    if (dirname(dir) === dir) throw new Error('sandbox: views/sandbox/index.html not found');
  }
}

export function sandboxRoutes(runtime: SandboxRuntime, viewsDir = findSandboxViews()): Router {
  const router = Router();
  const dateTime = createTimeFormatter(DEMO.timeZone, true);

  router.get('/', (_req, res) => {
    res.set('cache-control', 'no-store').sendFile('index.html', { root: viewsDir });
  });
  router.use('/sandbox/static', express.static(viewsDir, { index: false, maxAge: 0 }));
  router.use('/sandbox/api', (_req, res, next) => { res.set('cache-control', 'no-store'); next(); });

  const whenReady = (res: Response) => {
    const ready = runtime.ready();
    if (!ready) res.status(503).json({ error: 'starting', message: 'The sandbox is still installing its demo sub-account.' });
    return ready;
  };

  /** The demo sub-account a request names (?location=), else the first; undefined for an unknown id. */
  const locationOf = (query: unknown): DemoLocation | undefined =>
    (typeof query === 'string' ? demoLocation(query) : DEMO_LOCATIONS[0]);

  router.get('/sandbox/api/state', async (req, res) => {
    const demo = locationOf(req.query.location);
    if (!demo) return void res.status(404).json({ error: 'not_found', message: 'No such demo sub-account' });
    const ready = runtime.ready();
    if (!ready) return void res.json({ ready: false });
    const now = runtime.clock.now();
    const view = await buildLocationState({
      demo, standIn: runtime.standIn, twilio: runtime.twilio, actions: runtime.actions(demo.locationId), observer: ready.observer(demo.locationId),
    });
    res.json({
      ready: true,
      now,
      nowLabel: dateTime(now),
      advancedMs: runtime.timeAdvanced(),
      locations: DEMO_LOCATIONS.map((location) => ({ locationId: location.locationId, name: location.businessName, route: location.route, display: formatPhone(location.number) })),
      ...view,
    });
  });

  /** What HighLevel's parent page hands the embedded page: the user context, encrypted with the Shared Secret. */
  router.get('/sandbox/api/user-context', (req, res) => {
    const demo = locationOf(req.query.location);
    if (!demo) return void res.status(404).json({ error: 'not_found', message: 'No such demo sub-account' });
    const payload = encryptUserContext({
      userId: DEMO.user.userId, companyId: DEMO.companyId, role: 'admin', type: 'agency',
      activeLocation: demo.locationId, userName: DEMO.user.userName, email: DEMO.user.email,
    }, runtime.sharedSecret);
    res.json({ payload });
  });

  router.post('/sandbox/api/calls', async (req, res) => {
    if (!whenReady(res)) return;
    const input = parseOr422(CallSchema, req.body, res);
    if (!input) return;
    await deliver(res, () => runtime.actions(input.location).placeCall(input.from, input.status));
  });

  router.post('/sandbox/api/texts', async (req, res) => {
    if (!whenReady(res)) return;
    const input = parseOr422(TextSchema, req.body, res);
    if (!input) return;
    await deliver(res, () => runtime.actions(input.location).sendText(input.from, input.body));
  });

  router.post('/sandbox/api/staff-messages', async (req, res) => {
    if (!whenReady(res)) return;
    const input = parseOr422(StaffSchema, req.body, res);
    if (!input) return;
    const contactId = runtime.actions(input.location).contactOf(input.to)
      ?? runtime.standIn.channelMessages({ locationId: input.location })
        .find((m) => runtime.standIn.contact(input.location, m.contactId)?.phone === input.to)?.contactId;
    if (!contactId) return void res.status(409).json({ error: 'no_contact', message: 'This number is not a contact yet: miss a call from it first.' });
    await deliver(res, () => runtime.sendStaffMessage({ locationId: input.location, contactId, message: input.body }));
  });

  router.post('/sandbox/api/time', async (req, res) => {
    const ready = whenReady(res);
    if (!ready) return;
    const input = parseOr422(TimeSchema, req.body, res);
    if (!input) return;
    const ms = Math.round(input.hours * HOUR);
    runtime.clock.advance(ms);
    runtime.onTimeMoved(ms);
    // Whatever fell due (follow-ups above all) runs now, not at the worker's next poll.
    await ready.app.worker.runDue();
    res.json({ now: runtime.clock.now(), nowLabel: dateTime(runtime.clock.now()) });
  });

  return router;
}

async function deliver(res: Response, action: () => Promise<unknown>): Promise<void> {
  try {
    res.status(202).json(await action());
  } catch (error) {
    if (!(error instanceof WebhookDeliveryError || error instanceof TwilioWebhookError)) throw error;
    res.status(502).json({ error: 'webhook_rejected', message: error.message });
  }
}
