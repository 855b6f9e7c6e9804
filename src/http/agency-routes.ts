// The agency view's API: its installed sub-accounts at a glance, and the default settings new sub-accounts start with.
import { Router } from 'express';
import { z } from 'zod';
import { DAY, type Clock } from '../lib/clock.js';
import type { AuditStorePort, InstallStatusPort, LocationStorePort, StatsStorePort } from '../store/storage.js';
import { defaultSettings, mergeSettings, SettingsPatchSchema, type SettingsPatch } from '../workflow/settings.js';
import { featuresFor, type PlansTable } from '../workflow/plans.js';
import { changedFields } from '../workflow/changed-fields.js';
import { previewTemplate } from '../workflow/preview.js';
import { unnamedTemplateIssues } from '../workflow/business-identity.js';
import { PreviewRequestSchema } from './settings-routes.js';
import type { WorkflowDeps } from '../workflow/deps.js';
import { requireAgencySession } from './require-session.js';
import type { SessionTokens } from './session-tokens.js';
import { fieldIssues, parseOr422 } from './validation.js';

export interface AgencyRoutesDeps {
  sessionTokens: SessionTokens;
  locations: Pick<LocationStorePort, 'listByCompany' | 'agencyDefaults' | 'saveAgencyDefaults'>;
  installStatus: InstallStatusPort;
  stats: Pick<StatsStorePort, 'totals'>;
  audit: AuditStorePort;
  plans: PlansTable | undefined;
  workflow: Pick<WorkflowDeps, 'publicUrl'>;
  clock: Clock;
}

export function agencyRoutes(deps: AgencyRoutesDeps): Router {
  const router = Router();
  const guard = requireAgencySession(deps.sessionTokens);
  const base = '/api/agency/:companyId';

  router.get(`${base}/locations`, guard, async (req, res) => {
    const companyId = req.params.companyId as string;
    const now = deps.clock.now();
    const installed = (await deps.locations.listByCompany(companyId)).filter((location) => location.status === 'installed');
    const locations = await Promise.all(installed.map(async (location) => {
      // The last 7 days up to and including this millisecond.
      const counts = await deps.stats.totals(location.locationId, now - 7 * DAY + 1, now + 1);
      const analytics = featuresFor(location.planId, deps.plans).features.agencyAnalytics;
      return {
        locationId: location.locationId, name: location.name, enabled: location.settings.enabled, status: location.status,
        needsReconnect: (await deps.installStatus.connection(location.locationId, location.companyId)).needsReconnect,
        // A plan without agency analytics keeps the list, not the figures.
        last7Days: analytics ? { missedCalls: counts.missedCalls, texted: counts.texted, replied: counts.replied } : null,
      };
    }));
    res.json({ locations });
  });

  /** A template as a sub-account with the agency's defaults would send it, for a sample business. */
  router.post(`${base}/preview`, guard, async (req, res) => {
    const input = parseOr422(PreviewRequestSchema, req.body, res);
    if (!input) return;
    const stored = SettingsPatchSchema.safeParse((await deps.locations.agencyDefaults(req.params.companyId as string)) ?? {});
    let settings = defaultSettings();
    try {
      if (stored.success) settings = mergeSettings(settings, stored.data);
    } catch {
      // Defaults saved before a rule tightened: preview with the app's own defaults.
    }
    const sample = { locationId: 'sub-account', name: 'Your Business', phone: '+15555550100', settings };
    res.json(previewTemplate(deps.workflow, sample, input.template, input.kind));
  });

  router.get(`${base}/defaults`, guard, async (req, res) => {
    const stored = SettingsPatchSchema.safeParse((await deps.locations.agencyDefaults(req.params.companyId as string)) ?? {});
    res.json({ defaults: stored.success ? stored.data : {} });
  });

  router.put(`${base}/defaults`, guard, async (req, res) => {
    const patch = parseOr422(SettingsPatchSchema, req.body, res);
    if (!patch) return;
    // The defaults must make a valid location on their own (open before close, …), as installLocation applies them.
    try {
      mergeSettings(defaultSettings(), patch);
    } catch (error) {
      if (!(error instanceof z.ZodError)) throw error;
      return void res.status(422).json({ error: 'invalid', issues: fieldIssues(error) });
    }
    const companyId = req.params.companyId as string;
    const now = deps.clock.now();
    const before = (SettingsPatchSchema.safeParse((await deps.locations.agencyDefaults(companyId)) ?? {}).data ?? {}) as SettingsPatch;
    // Defaults serve many sub-accounts, so only {{business_name}} can name each one.
    const unnamed = unnamedTemplateIssues(before.templates ?? {}, patch.templates ?? {}, null);
    if (unnamed.length > 0) return void res.status(422).json({ error: 'invalid', issues: unnamed });
    await deps.installStatus.ensureCompany(companyId, now);
    await deps.locations.saveAgencyDefaults(companyId, patch);
    await deps.audit.record({ locationId: null, actor: req.session!.userId, action: 'agency-defaults.update', detail: { companyId, fields: changedFields(before, patch) } }, now);
    res.json({ defaults: patch });
  });

  return router;
}
