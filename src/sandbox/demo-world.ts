// The sandbox's demo world: one agency and its sub-account "Acme Plumbing" in the stand-in, installed in the app
// through the real OAuth callback. Ids are fixed so a restart (the stand-in forgets everything) finds the same world.
import type { Logger } from '../lib/logger.js';
import type { ComposedApp } from '../compose.js';
import { mergeSettings } from '../workflow/settings.js';
import type { StandIn } from './standin/index.js';
import type { SandboxState } from './sandbox-files.js';
import { webhookEnvelope, type PostWebhook } from './webhook-poster.js';

export const DEMO = {
  companyId: 'SbxAgency00000000001',
  companyName: 'Sandbox Agency',
  locationId: 'SbxAcmePlumbing00001',
  businessName: 'Acme Plumbing',
  timeZone: 'America/New_York',
  number: '+12125550100',
  user: { userId: 'SbxUser0000000000001', userName: 'Sam Rivera', email: 'sam@acme-plumbing.example' },
  /** Suggested callers, already contacts of the sub-account (New York area codes: quiet hours are Eastern time). */
  callers: [
    { contactId: 'SbxContactJordan0001', phone: '+12125550142', label: 'Jordan' },
    { contactId: 'SbxContactTaylor0001', phone: '+16465550123', label: 'Taylor' },
    { contactId: 'SbxContactCasey00001', phone: '+17185550188', label: 'Casey' },
  ],
} as const;

/** Builds the agency, the sub-account, its suggested callers and every contact seen before into a fresh stand-in. */
export function seedStandIn(standIn: StandIn, state: SandboxState): void {
  standIn.createCompany({ id: DEMO.companyId, name: DEMO.companyName });
  standIn.createLocation({
    id: DEMO.locationId, companyId: DEMO.companyId, name: DEMO.businessName, timezone: DEMO.timeZone,
    phone: DEMO.number, numbers: [DEMO.number],
  });
  for (const caller of DEMO.callers) {
    standIn.createContact(DEMO.locationId, { id: caller.contactId, phone: caller.phone, firstName: caller.label });
  }
  for (const contact of state.contacts) {
    if (!isDemoContact(contact.id)) standIn.createContact(DEMO.locationId, { id: contact.id, phone: contact.phone });
  }
}

/** The suggested callers' contacts are rebuilt from DEMO at every start; only others need remembering. */
export function isDemoContact(contactId: string): boolean {
  return DEMO.callers.some((caller) => caller.contactId === contactId);
}

/**
 * Installs the sub-account the way HighLevel does: an auth code, a GET of the app's own /oauth/callback over HTTP,
 * then the signed INSTALL webhook and a LocationUpdate (the stand-in's world was just built), whose jobs run before
 * this returns. Runs at every start: the stand-in's tokens are in memory, so the app needs fresh ones. On the first
 * install only, the demo may text back at any hour: text-back policy 'send-immediately' (follow-ups still honour
 * quiet hours); a location's later choice survives restarts.
 */
export async function installDemo(deps: {
  standIn: StandIn; app: ComposedApp; selfUrl: string; appId: string; post: PostWebhook; logger: Logger;
}): Promise<void> {
  const { app } = deps;
  const { locations } = app.storage;
  const firstInstall = (await locations.get(DEMO.locationId)) === null;
  const code = deps.standIn.issueAuthCode({ userType: 'Location', companyId: DEMO.companyId, locationId: DEMO.locationId });
  const response = await fetch(`${deps.selfUrl}/oauth/callback?code=${encodeURIComponent(code)}`);
  await response.arrayBuffer();
  if (response.status !== 200) {
    throw new Error(`sandbox: installing the demo sub-account failed (the OAuth callback answered ${response.status})`);
  }
  const installed = await locations.get(DEMO.locationId);
  if (!installed || installed.status !== 'installed') throw new Error('sandbox: the OAuth callback did not install the demo sub-account');
  if (firstInstall) {
    await locations.saveSettings(DEMO.locationId, mergeSettings(installed.settings, { textBackPolicy: 'send-immediately' }), app.clock.now());
  }
  await deps.post({
    type: 'INSTALL', appId: deps.appId, locationId: DEMO.locationId, companyId: DEMO.companyId, userId: DEMO.user.userId,
    companyName: DEMO.companyName, ...webhookEnvelope(app.clock.now()),
  });
  await deps.post({ type: 'LocationUpdate', id: DEMO.locationId, locationId: DEMO.locationId, name: DEMO.businessName, ...webhookEnvelope(app.clock.now()) });
  await settle(app);
  deps.logger.info({ locationId: DEMO.locationId, firstInstall }, 'sandbox: demo sub-account installed through the OAuth callback');
}

/** Runs due jobs until none is left (the background worker may be draining at the same time). */
async function settle(app: ComposedApp): Promise<void> {
  let idle = 0;
  for (let round = 0; round < 20 && idle < 2; round++) idle = (await app.worker.runDue()) === 0 ? idle + 1 : 0;
}
