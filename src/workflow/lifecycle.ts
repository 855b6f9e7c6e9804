// Installs, uninstalls, plan changes, profile changes and DND changes HighLevel tells us about.
import { toE164 } from '../lib/phone.js';
import type { WorkflowDeps } from './deps.js';
import { installLocation } from './location-context.js';

/**
 * A sub-account added later under an agency install ("future locations") may arrive without companyId and userId: its
 * agency is looked up first (the one whose install lists it), so its token can be minted and the agency's defaults apply.
 * If HighLevel cannot answer, the job is retried; until then, events for it find the agency the same way.
 */
export async function handleInstall(deps: WorkflowDeps, e: { locationId: string | null; companyId: string | null; planId: string | null; trial: unknown; whiteLabelDomain?: string | null }): Promise<string> {
  if (e.whiteLabelDomain && deps.frameOrigins) await deps.frameOrigins.learn(e.whiteLabelDomain, e.companyId, deps.clock.now());
  if (!e.locationId) return 'company-install-noted';
  let companyId = e.companyId;
  if (deps.installedUnderAgency) {
    companyId ??= (await deps.installations.get(e.locationId))?.companyId ?? null;
    const findAgency = !companyId && !(await deps.tokens.hasOwnGrant(e.locationId));
    const found = await deps.installedUnderAgency(e.locationId, { findAgency });
    companyId ??= found;
  }
  await installLocation(deps, e.locationId, companyId, e.planId, e.trial);
  await deps.audit.record({ locationId: e.locationId, actor: 'highlevel', action: 'install', detail: { companyId, planId: e.planId } }, deps.clock.now());
  return companyId || !deps.installedUnderAgency ? 'installed' : 'installed:agency-unknown';
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

/**
 * SMS DND changed on a contact in HighLevel. On: the number is suppressed (source dnd) and its pending work stops.
 * Off: the dnd source goes; the number stays suppressed while another source (a STOP, a form…) still holds it.
 * HighLevel may deliver an update late: one older than the caller's last opt-in is ignored.
 */
export async function handleDnd(deps: WorkflowDeps, e: { locationId: string; contactId: string; phone: string | null; smsDnd: boolean | null; occurredAt: number }): Promise<string> {
  if (e.smsDnd === null) return 'ignored:dnd-not-sms';
  let phone = e.phone ? toE164(e.phone) : null;
  if (!phone) {
    const contact = await deps.contacts.getContact(e.locationId, e.contactId);
    phone = contact?.phone ? toE164(contact.phone) : null;
  }
  if (!phone) return 'ignored:no-phone';
  const optedInAt = await deps.suppressions.lastOptInAt(e.locationId, phone);
  if (optedInAt !== null && e.occurredAt <= optedInAt) return 'ignored:dnd-older-than-opt-in';
  const now = deps.clock.now();
  if (!e.smsDnd) {
    // Whoever turned it off, the app no longer holds a DND of its own on this contact.
    await deps.suppressions.forgetAppDnd(e.locationId, e.contactId);
    const lifted = await deps.suppressions.lift({ locationId: e.locationId, phone, sources: ['dnd'], reason: 'SMS DND turned off in HighLevel', actor: 'highlevel' }, now);
    return lifted ? 'dnd-lifted' : 'dnd-off';
  }
  await deps.suppressions.suppress({ locationId: e.locationId, phone, source: 'dnd', reason: 'SMS DND set in HighLevel', actor: 'highlevel' }, now);
  await deps.scheduler.cancel({ locationId: e.locationId, subject: phone });
  return 'suppressed';
}
