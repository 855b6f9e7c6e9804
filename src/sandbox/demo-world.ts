// The sandbox's demo world: one agency and its sub-account "Acme Plumbing" in the stand-in, installed in the app
// through the real OAuth callback. Ids are fixed so a restart (the stand-in forgets everything) finds the same world.
import type { Logger } from '../lib/logger.js';
import type { ComposedApp } from '../compose.js';
import { createLocationStore } from '../store/locations.js';
import { mergeSettings } from '../workflow/settings.js';
import type { StandIn } from './standin/index.js';
import type { SandboxState } from './sandbox-files.js';

export const DEMO = {
  companyId: 'SbxAgency00000000001',
  companyName: 'Sandbox Agency',
  locationId: 'SbxAcmePlumbing00001',
  businessName: 'Acme Plumbing',
  timeZone: 'America/New_York',
  number: '+12125550100',
  user: { userId: 'SbxUser0000000000001', userName: 'Sam Rivera', email: 'sam@acme-plumbing.example' },
  /** Suggested callers (New York area codes, so quiet hours are Eastern time). */
  callers: [
    { phone: '+12125550142', label: 'Jordan' },
    { phone: '+16465550123', label: 'Taylor' },
    { phone: '+17185550188', label: 'Casey' },
  ],
} as const;

/** Builds the agency, the sub-account and every contact the sandbox has seen before into a fresh stand-in. */
export function seedStandIn(standIn: StandIn, state: SandboxState): void {
  standIn.createCompany({ id: DEMO.companyId, name: DEMO.companyName });
  standIn.createLocation({
    id: DEMO.locationId, companyId: DEMO.companyId, name: DEMO.businessName, timezone: DEMO.timeZone,
    phone: DEMO.number, numbers: [DEMO.number],
  });
  for (const contact of state.contacts) standIn.createContact(DEMO.locationId, { id: contact.id, phone: contact.phone });
}

/**
 * Installs the sub-account the way HighLevel does: an auth code, then a GET of the app's own /oauth/callback over
 * HTTP. Runs at every start (the stand-in's tokens are in memory, so the app needs fresh ones). On the first install
 * only, the demo may text back at any hour: text-back policy 'send-immediately' (follow-ups still honour quiet hours).
 */
export async function installDemo(deps: { standIn: StandIn; app: ComposedApp; selfUrl: string; logger: Logger }): Promise<void> {
  const locations = createLocationStore(deps.app.db);
  const firstInstall = locations.get(DEMO.locationId) === null;
  const code = deps.standIn.issueAuthCode({ userType: 'Location', companyId: DEMO.companyId, locationId: DEMO.locationId });
  const response = await fetch(`${deps.selfUrl}/oauth/callback?code=${encodeURIComponent(code)}`);
  if (response.status !== 200) {
    throw new Error(`sandbox: installing the demo sub-account failed (the OAuth callback answered ${response.status})`);
  }
  const installed = locations.get(DEMO.locationId);
  if (!installed || installed.status !== 'installed') throw new Error('sandbox: the OAuth callback did not install the demo sub-account');
  if (firstInstall) {
    locations.saveSettings(DEMO.locationId, mergeSettings(installed.settings, { textBackPolicy: 'send-immediately' }), deps.app.clock.now());
  }
  deps.logger.info({ locationId: DEMO.locationId, firstInstall }, 'sandbox: demo sub-account installed through the OAuth callback');
}
