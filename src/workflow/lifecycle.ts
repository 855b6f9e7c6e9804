// Installs, uninstalls, plan changes, profile changes and DND changes HighLevel tells us about.
import { toE164 } from '../lib/phone.js';
import type { WorkflowDeps } from './deps.js';
import { installLocation } from './location-context.js';

export async function handleInstall(deps: WorkflowDeps, e: { locationId: string | null; companyId: string | null; planId: string | null; trial: unknown }): Promise<string> {
  if (!e.locationId) return 'company-install-noted';
  await installLocation(deps, e.locationId, e.companyId, e.planId, e.trial);
  await deps.audit.record({ locationId: e.locationId, actor: 'highlevel', action: 'install', detail: { companyId: e.companyId, planId: e.planId } }, deps.clock.now());
  return 'installed';
}

/** Tokens go at once and pending work stops; suppression entries and records stay for the retention rules. */
export async function handleUninstall(deps: WorkflowDeps, e: { locationId: string | null; companyId: string | null }): Promise<string> {
  const now = deps.clock.now();
  if (e.locationId) {
    await uninstallLocation(deps, e.locationId, now);
    return 'uninstalled';
  }
  if (e.companyId) {
    // The agency removed the app: every sub-account it brought in goes too (their 90-day purge starts now);
    // a sub-account that installed the app itself keeps it until its own UNINSTALL.
    for (const locationId of await deps.installations.installedIdsOfCompany(e.companyId)) {
      if (!(await deps.tokens.hasOwnGrant(locationId))) await uninstallLocation(deps, locationId, now);
    }
    await deps.tokens.forgetCompany(e.companyId);
    await deps.installations.uninstallCompany(e.companyId, now);
    await deps.audit.record({ locationId: null, actor: 'highlevel', action: 'uninstall-company', detail: { companyId: e.companyId } }, now);
    return 'company-uninstalled';
  }
  return 'ignored:no-target';
}

export async function uninstallLocation(deps: WorkflowDeps, locationId: string, now: number): Promise<void> {
  await deps.tokens.forget(locationId);
  await deps.installations.uninstall(locationId, now);
  await deps.scheduler.cancel({ locationId });
  await deps.audit.record({ locationId, actor: 'highlevel', action: 'uninstall' }, now);
}

export async function handlePlanChange(deps: WorkflowDeps, e: { locationId: string | null; planId: string | null }): Promise<string> {
  if (!e.locationId || !(await deps.installations.get(e.locationId))) return 'ignored:unknown-location';
  await deps.installations.savePlan(e.locationId, e.planId, deps.clock.now());
  await deps.audit.record({ locationId: e.locationId, actor: 'highlevel', action: 'plan-change', detail: { planId: e.planId } }, deps.clock.now());
  return 'plan-saved';
}

export async function handleLocationUpdate(deps: WorkflowDeps, locationId: string): Promise<string> {
  const location = await deps.installations.get(locationId);
  if (!location || location.status !== 'installed') return 'ignored:not-installed';
  const profile = await deps.locationDirectory.getProfile(locationId);
  await deps.installations.saveProfile(locationId, profile, deps.clock.now());
  return 'profile-synced';
}

/** SMS DND switched on for a contact in HighLevel: treat it as an opt-out for this location. */
export async function handleDnd(deps: WorkflowDeps, e: { locationId: string; contactId: string; phone: string | null; smsDnd: boolean }): Promise<string> {
  if (!e.smsDnd) return 'ignored:dnd-off';
  let phone = e.phone ? toE164(e.phone) : null;
  if (!phone) {
    const contact = await deps.contacts.getContact(e.locationId, e.contactId);
    phone = contact?.phone ? toE164(contact.phone) : null;
  }
  if (!phone) return 'ignored:no-phone';
  await deps.suppressions.suppress({ locationId: e.locationId, phone, source: 'dnd', reason: 'SMS DND set in HighLevel', actor: 'highlevel' }, deps.clock.now());
  await deps.scheduler.cancel({ locationId: e.locationId, subject: phone });
  return 'suppressed';
}
