// The location's settings page API: GET/PUT settings, POST preview, POST test-message. Every route is bound to the
// session's location; every change is audited with the user and the fields it touched (names, never values).
import { Router, type Response } from 'express';
import { z } from 'zod';
import { classifyNumber } from '../lib/phone.js';
import type { Clock } from '../lib/clock.js';
import type { WorkflowDeps } from '../workflow/deps.js';
import type { AuditStorePort, InstallStatusPort, LocationFlagStorePort, LocationStorePort } from '../store/storage.js';
import { mergeSettings, SettingsPatchSchema } from '../workflow/settings.js';
import { findUnknownVariables, TEMPLATE_KEYS } from '../workflow/templates.js';
import { changedFields } from '../workflow/changed-fields.js';
import { previewTemplate } from '../workflow/preview.js';
import { unnamedTemplateIssues } from '../workflow/business-identity.js';
import { sendTestMessage, TEST_TEMPLATES } from '../workflow/test-message.js';
import { requireLocationSession } from './require-session.js';
import type { SessionTokens } from './session-tokens.js';
import { fieldIssues, parseOr422 } from './validation.js';
import { describeLocation } from '../workflow/location-summary.js';
import { PhoneFieldSchema } from './phone-field.js';
import type { RateLimiter } from './rate-limit.js';

export interface SettingsRoutesDeps {
  sessionTokens: SessionTokens;
  workflow: WorkflowDeps;
  locations: LocationStorePort;
  installStatus: InstallStatusPort;
  locationFlags: LocationFlagStorePort;
  audit: AuditStorePort;
  clock: Clock;
  /** Test texts per location (they reach real phones). */
  testLimiter: RateLimiter;
}

/** POST preview's body (also the agency view's preview). */
export const PreviewRequestSchema = z.object({
  template: z.string().max(1600).superRefine((text, ctx) => {
    for (const variable of findUnknownVariables(text)) ctx.addIssue({ code: 'custom', message: `Unknown variable ${variable}` });
  }),
  kind: z.enum(TEMPLATE_KEYS).default('textBackInHours'),
});

const TestMessageSchema = z.object({
  phone: PhoneFieldSchema.refine((phone) => classifyNumber(phone).textable, 'This number cannot receive texts'),
  template: z.enum(TEST_TEMPLATES),
});

export function settingsRoutes(deps: SettingsRoutesDeps): Router {
  const router = Router();
  const guard = requireLocationSession(deps.sessionTokens);
  const base = '/api/locations/:locationId';
  const locationOf = (locationId: string) => deps.locations.get(locationId);
  const notFound = (res: Response) => res.status(404).json({ error: 'not_found', message: 'This location is unknown.' });

  router.get(`${base}/settings`, guard, async (req, res) => {
    const location = await locationOf(req.params.locationId as string);
    if (!location) return void notFound(res);
    const summary = describeLocation({
      location, connection: await deps.installStatus.connection(location.locationId, location.companyId),
      flags: await deps.locationFlags.list(location.locationId), plans: deps.workflow.plans, now: deps.clock.now(),
      numbers: await deps.locations.numbers(location.locationId),
      conversationChannel: deps.workflow.conversationChannel ?? false,
    });
    res.json({ settings: location.settings, ...summary });
  });

  router.put(`${base}/settings`, guard, async (req, res) => {
    const patch = parseOr422(SettingsPatchSchema, req.body, res);
    if (!patch) return;
    const location = await locationOf(req.params.locationId as string);
    if (!location) return void notFound(res);
    let next;
    try {
      next = mergeSettings(location.settings, patch);
    } catch (error) {
      if (!(error instanceof z.ZodError)) throw error;
      return void res.status(422).json({ error: 'invalid', issues: fieldIssues(error) });
    }
    const unnamed = unnamedTemplateIssues(location.settings.templates, next.templates, location.name);
    if (unnamed.length > 0) return void res.status(422).json({ error: 'invalid', issues: unnamed });
    const fields = changedFields(location.settings, next);
    if (fields.length > 0) {
      const now = deps.clock.now();
      await deps.locations.saveSettings(location.locationId, next, now);
      await deps.audit.record({ locationId: location.locationId, actor: req.session!.userId, action: 'settings.update', detail: { fields } }, now);
    }
    res.json({ settings: next });
  });

  router.post(`${base}/preview`, guard, async (req, res) => {
    const input = parseOr422(PreviewRequestSchema, req.body, res);
    if (!input) return;
    const location = await locationOf(req.params.locationId as string);
    if (!location) return void notFound(res);
    res.json(previewTemplate(deps.workflow, location, input.template, input.kind));
  });

  router.post(`${base}/test-message`, guard, async (req, res) => {
    const input = parseOr422(TestMessageSchema, req.body, res);
    if (!input) return;
    const locationId = req.params.locationId as string;
    if (!await deps.testLimiter.take(locationId)) {
      return void res.status(429).json({ error: 'rate_limited', message: 'Too many test messages; try again later.' });
    }
    const result = await sendTestMessage(deps.workflow, { locationId, phone: input.phone, template: input.template, actor: req.session!.userId });
    if (result.status === 'suppressed') return void res.status(409).json({ error: 'suppressed', message: 'This number opted out or was suppressed: nothing was sent.' });
    if (result.status === 'not-installed') return void res.status(409).json({ error: 'not_installed', message: 'TextBack is not installed here.' });
    res.json(result);
  });

  return router;
}
