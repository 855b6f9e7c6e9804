// The sandbox's HTTP surface, mounted only in sandbox mode: the home page at / (static files from views/sandbox)
// and /sandbox/api/* to act as a caller, make time pass, and read what happened.
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
import { DEMO } from './demo-world.js';
import type { Observer } from './observe.js';
import type { SandboxClock } from './sandbox-clock.js';
import { buildCallerViews, createTimeFormatter, formatPhone } from './sandbox-view.js';
import type { StandIn } from './standin/index.js';
import { WebhookDeliveryError } from './webhook-poster.js';

export interface SandboxRuntime {
  clock: SandboxClock;
  standIn: StandIn;
  actions: CallerActions;
  sharedSecret: string;
  /** Null until the app is composed and the demo sub-account installed. */
  ready(): { app: ComposedApp; observer: Observer } | null;
  /** Called after sandbox time moved by `ms` (the sandbox persists the offset). */
  onTimeMoved(ms: number): void;
  /** How much time the page made pass since the sandbox was created. */
  timeAdvanced(): number;
}

const PhoneSchema = z.string().trim().min(3).max(32)
  .refine((raw) => toE164(raw) !== null, 'Not a valid phone number (try (212) 555-0142)')
  .transform((raw) => toE164(raw)!);
const CallSchema = z.object({ from: PhoneSchema, status: z.enum(['voicemail', 'no-answer', 'busy', 'canceled', 'failed', 'completed']) });
const TextSchema = z.object({ from: PhoneSchema, body: z.string().trim().min(1).max(1600) });
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

  router.get('/sandbox/api/state', async (_req, res) => {
    const ready = runtime.ready();
    if (!ready) return void res.json({ ready: false });
    const { observer } = ready;
    const location = await observer.location();
    const now = runtime.clock.now();
    const outbound = runtime.standIn.sentMessages({ locationId: DEMO.locationId }).map((message) => ({
      phone: runtime.standIn.contact(DEMO.locationId, message.contactId)?.phone ?? message.toNumber ?? '',
      at: message.at, body: message.message, status: message.status,
    }));
    const callers = runtime.actions.callers();
    const entries = callers.flatMap((caller) => caller.entries);
    const outcomes = await observer.outcomes({
      callKeys: entries.flatMap((entry) => (entry.kind === 'call' ? [entry.callKey] : [])),
      replyKeys: entries.flatMap((entry) => (entry.kind === 'text' ? [entry.replyKey] : [])),
      phones: [...new Set([...callers.map((caller) => caller.phone), ...outbound.map((text) => text.phone)])],
    });
    res.json({
      ready: true,
      now,
      nowLabel: dateTime(now),
      advancedMs: runtime.timeAdvanced(),
      business: {
        locationId: DEMO.locationId, name: DEMO.businessName, number: DEMO.number, display: formatPhone(DEMO.number),
        timeZone: DEMO.timeZone, installed: location?.status === 'installed', enabled: location?.settings.enabled ?? false,
        textBackPolicy: location?.settings.textBackPolicy ?? null, followUpMinutes: location?.settings.followUp.enabled ? location.settings.followUp.delayMinutes : null,
      },
      suggestedCallers: DEMO.callers.map((caller) => ({ phone: caller.phone, label: caller.label, display: formatPhone(caller.phone) })),
      callers: buildCallerViews({
        timeZone: DEMO.timeZone,
        callers,
        outbound,
        ...outcomes,
      }),
    });
  });

  /** What HighLevel's parent page hands the embedded page: the user context, encrypted with the Shared Secret. */
  router.get('/sandbox/api/user-context', (_req, res) => {
    const payload = encryptUserContext({
      userId: DEMO.user.userId, companyId: DEMO.companyId, role: 'admin', type: 'agency',
      activeLocation: DEMO.locationId, userName: DEMO.user.userName, email: DEMO.user.email,
    }, runtime.sharedSecret);
    res.json({ payload });
  });

  router.post('/sandbox/api/calls', async (req, res) => {
    if (!whenReady(res)) return;
    const input = parseOr422(CallSchema, req.body, res);
    if (!input) return;
    await deliver(res, () => runtime.actions.placeCall(input.from, input.status));
  });

  router.post('/sandbox/api/texts', async (req, res) => {
    if (!whenReady(res)) return;
    const input = parseOr422(TextSchema, req.body, res);
    if (!input) return;
    await deliver(res, () => runtime.actions.sendText(input.from, input.body));
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
    if (!(error instanceof WebhookDeliveryError)) throw error;
    res.status(502).json({ error: 'webhook_rejected', message: error.message });
  }
}
