// Loads what every decision about a location needs: its install state, settings, name, time zone and numbers.
import { DAY, MINUTE } from '../lib/clock.js';
import type { WorkflowDeps } from './deps.js';
import type { InstalledLocation } from './ports/storage.js';
import { defaultSettings, mergeSettings, SettingsPatchSchema } from './settings.js';
import { ensureCatchUp } from './catch-up-schedule.js';
import { identifyBusiness, type IdentifiedBy } from './business-identity.js';

export interface LocationContext {
  location: InstalledLocation;
  /** What names the business in texts: its HighLevel name, else its phone formatted nationally, else ''. */
  businessName: string;
  identifiedBy: IdentifiedBy;
  businessPhone: string | null;
  timeZone: string;
  ownNumbers: string[];
}

const FALLBACK_TIME_ZONE = 'America/New_York';
/** A location HighLevel gave no name is asked again before texting, but not more often than this. */
export const NAMELESS_PROFILE_RETRY_MS = 10 * MINUTE;

/** Null when the app is not installed there (and no agency install covers it). */
export async function loadLocation(deps: WorkflowDeps, locationId: string): Promise<LocationContext | null> {
  // The location and its numbers in one read; they are read again only when the profile is refreshed below.
  let found = await deps.installations.getWithNumbers(locationId);
  if (!found && deps.adoptFromAgency) {
    // A missed call for an agency's sub-account is served even if its INSTALL webhook never arrived.
    const adopted = await deps.adoptFromAgency(locationId);
    if (adopted) {
      await installLocation(deps, locationId, adopted.companyId, null, null);
      found = await deps.installations.getWithNumbers(locationId);
    }
  }
  if (!found || found.status !== 'installed') return null;
  const { numbers: storedNumbers, ...stored } = found;
  let location: InstalledLocation = stored;
  let ownNumbers = storedNumbers;
  let refreshed = false;

  const maxAge = deps.profileMaxAgeMs ?? DAY;
  const sinceSync = location.profileSyncedAt === null ? Infinity : deps.clock.now() - location.profileSyncedAt;
  const nameless = !location.name?.trim();
  if (sinceSync > maxAge || (nameless && sinceSync >= NAMELESS_PROFILE_RETRY_MS)) {
    try {
      const profile = await deps.locationDirectory.getProfile(locationId);
      await deps.installations.saveProfile(locationId, { name: profile.name, timeZone: profile.timeZone, phone: profile.phone, numbers: profile.numbers }, deps.clock.now());
      location = { ...location, name: profile.name, timeZone: profile.timeZone, phone: profile.phone, profileSyncedAt: deps.clock.now() };
      refreshed = true;
    } catch (error) {
      // A stale profile is still good enough to act on; no profile at all is not.
      if (location.profileSyncedAt === null) throw error;
      deps.log.warn({ locationId, err: error }, 'location profile refresh failed; using the stored one');
    }
  }
  // The numbers as saved (deduplicated, in the store's order), not as HighLevel listed them.
  if (refreshed) ownNumbers = await deps.installations.numbers(locationId);
  // No made-up name: without HighLevel's name the business's phone identifies it (see business-identity.ts).
  const identity = identifyBusiness(location, ownNumbers);
  return {
    location,
    businessName: identity.text,
    identifiedBy: identity.by,
    businessPhone: location.phone,
    timeZone: location.settings.timeZone || location.timeZone || FALLBACK_TIME_ZONE,
    ownNumbers,
  };
}

/** Installs (or reinstalls) a location with the defaults its agency set, keeping settings it already had. */
export async function installLocation(deps: WorkflowDeps, locationId: string, companyId: string | null, planId: string | null, trial: unknown): Promise<void> {
  const agencyPatch = companyId ? SettingsPatchSchema.safeParse(await deps.installations.agencyDefaults(companyId)) : null;
  const settings = agencyPatch?.success ? mergeSettings(defaultSettings(), agencyPatch.data) : defaultSettings();
  await deps.installations.install({ locationId, companyId, settings, planId, trial }, deps.clock.now());
  await ensureCatchUp(deps, locationId);
}
