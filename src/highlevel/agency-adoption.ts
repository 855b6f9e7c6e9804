// Finds the agency install that covers a sub-account the app has no company for, by reading each agency's
// GET /oauth/installedLocations (cached per agency): a location token is then minted only with the agency that lists it.
// Never probes a location with every agency's token; "no agency lists it" is remembered in the database for a while.
import { HOUR, MINUTE, type Clock } from '../lib/clock.js';
import { HighLevelApiError, NotInstalledError, ReconnectRequiredError, errorMessage } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import type { AgencyLookupsPort, TokenStorePort } from '../store/storage.js';
import type { HighLevelApi } from './api-client.js';

/**
 * unknown: events for a location never installed here (possibly forwarded by someone): remembered misses count.
 * install: HighLevel just sent an INSTALL for it: forget any miss and read every agency's list afresh.
 * stranded: installed without an agency and without a token (the next need for its token, or start-up).
 */
export type LookupReason = 'unknown' | 'install' | 'stranded';

export interface AgencyFinderDeps {
  tokens: Pick<TokenStorePort, 'activeCompanyIds'>;
  api: Pick<HighLevelApi, 'installedLocations'>;
  lookups: AgencyLookupsPort;
  /** This app's id (HIGHLEVEL_CLIENT_ID before its first '-'). */
  appId: string;
  clock: Clock;
  logger: Logger;
  /** How long an agency's list of installed locations is reused for unknown locations. */
  listMaxAgeMs?: number;
  /** How long a stranded location may wait for an agency's list to show it (it is ours: HighLevel sent its INSTALL). */
  strandedListMaxAgeMs?: number;
  /** How long "no agency lists this location" is believed. */
  unclaimedForMs?: number;
  pageSize?: number;
}

export type AgencyFinder = ReturnType<typeof createAgencyFinder>;

interface AgencyList { ids: Set<string>; fetchedAt: number }

const MAX_PAGES = 200;

export function createAgencyFinder(deps: AgencyFinderDeps) {
  const { lookups, clock, logger } = deps;
  const listMaxAgeMs = deps.listMaxAgeMs ?? 10 * MINUTE;
  const strandedListMaxAgeMs = deps.strandedListMaxAgeMs ?? MINUTE;
  const unclaimedForMs = deps.unclaimedForMs ?? HOUR;
  const pageSize = deps.pageSize ?? 100;
  const lists = new Map<string, AgencyList>();
  // Concurrent look-ups share one read of an agency's list.
  const reading = new Map<string, Promise<AgencyList>>();

  async function readList(companyId: string): Promise<AgencyList> {
    const startedAt = clock.now();
    const ids = new Set<string>();
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await deps.api.installedLocations(companyId, deps.appId, { skip: page * pageSize, limit: pageSize, isInstalled: true });
      for (const location of answer.locations) if (location.isInstalled !== false) ids.add(location.id);
      if (answer.locations.length < pageSize) break;
    }
    const list = { ids, fetchedAt: startedAt };
    lists.set(companyId, list);
    return list;
  }

  function listOf(companyId: string, maxAgeMs: number): Promise<AgencyList> {
    const cached = lists.get(companyId);
    if (cached && clock.now() - cached.fetchedAt < maxAgeMs) return Promise.resolve(cached);
    const running = reading.get(companyId);
    if (running) return running;
    const read = readList(companyId).finally(() => { if (reading.get(companyId) === read) reading.delete(companyId); });
    reading.set(companyId, read);
    return read;
  }

  /** The agency (companyId) whose install lists the location, or null; throws a retryable error when unsure. */
  async function find(locationId: string, reason: LookupReason): Promise<string | null> {
    if (reason === 'install') await lookups.forget(locationId);
    if (reason === 'unknown' && await lookups.isUnclaimed(locationId, clock.now())) return null;
    const companies = await deps.tokens.activeCompanyIds();
    // A list read before this INSTALL may predate it; one that already lists the location needs no new read.
    const maxAgeMs = reason === 'install' ? 0 : reason === 'stranded' ? strandedListMaxAgeMs : listMaxAgeMs;
    if (reason === 'install') {
      const known = companies.find((companyId) => lists.get(companyId)?.ids.has(locationId));
      if (known) return found(locationId, known);
    }
    let unsure: unknown = null;
    for (const companyId of companies) {
      let list: AgencyList;
      try {
        list = await listOf(companyId, maxAgeMs);
      } catch (error) {
        if (isTransient(error)) {
          unsure ??= error;
        } else {
          // This agency's install cannot answer (reconnect needed, scope refused): it cannot mint either.
          logger.warn({ companyId, err: errorMessage(error) }, 'agency install could not list its locations');
        }
        continue;
      }
      if (list.ids.has(locationId)) return found(locationId, companyId);
    }
    // A 429, 5xx or network failure proves nothing: never remembered, the caller retries later.
    if (unsure) throw asRetryable(unsure);
    if (reason === 'unknown') await lookups.rememberUnclaimed(locationId, clock.now(), clock.now() + unclaimedForMs);
    logger.info({ locationId, agencies: companies.length, reason }, 'no agency install lists this location');
    return null;
  }

  async function found(locationId: string, companyId: string): Promise<string> {
    await lookups.forget(locationId);
    await lookups.assignCompany(locationId, companyId, clock.now());
    logger.info({ locationId, companyId }, 'sub-account found under its agency install');
    return companyId;
  }

  return {
    find,
    /** For a location never installed here (loadLocation's adoption). */
    async adopt(locationId: string): Promise<{ companyId: string } | null> {
      const companyId = await find(locationId, 'unknown');
      return companyId ? { companyId } : null;
    },
    /** An INSTALL for the location that named its agency: any remembered miss no longer holds. */
    async forget(locationId: string): Promise<void> {
      await lookups.forget(locationId);
    },
    /** A new agency install may list locations remembered as unclaimed, and its list is not cached yet. */
    async agencyInstalled(companyId: string): Promise<void> {
      lists.delete(companyId);
      await lookups.forgetAll();
    },
    /** Start-up: every installed location that has neither an agency nor a token looks for its agency once. */
    async repairStranded(): Promise<number> {
      let repaired = 0;
      for (const locationId of await lookups.strandedLocationIds()) {
        try {
          if (await find(locationId, 'stranded')) repaired += 1;
        } catch (error) {
          logger.warn({ locationId, err: errorMessage(error) }, 'looking for a stranded location\'s agency failed; its next need retries');
        }
      }
      return repaired;
    },
  };
}

function isTransient(error: unknown): boolean {
  if (error instanceof NotInstalledError || error instanceof ReconnectRequiredError) return false;
  if (error instanceof HighLevelApiError) return error.retryable;
  return true;
}

function asRetryable(error: unknown): HighLevelApiError {
  if (error instanceof HighLevelApiError) return error;
  return new HighLevelApiError(`looking up the agency install failed: ${errorMessage(error)}`, null, undefined, true);
}
