// Keeps idle installations alive for years: HighLevel refresh tokens expire after a year unused, so any token not
// refreshed for 30 days is refreshed by a daily job (through the same single-flight, compare-and-swap path).
import { DAY } from '../lib/clock.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { JobQueue } from '../store/job-queue.js';
import type { JobHandler } from '../scheduler/worker.js';
import type { TokenStore } from '../store/tokens.js';
import type { AccessTokens } from '../highlevel/access-tokens.js';

export const TOKEN_KEEPALIVE_JOB = 'token-keepalive';
const IDLE_AFTER_MS = 30 * DAY;
const PER_RUN = 500;

export function scheduleTokenKeepalive(queue: Pick<JobQueue, 'enqueue'>, now: number): void {
  queue.enqueue({ kind: TOKEN_KEEPALIVE_JOB, payload: {}, runAt: now + DAY, dedupeKey: TOKEN_KEEPALIVE_JOB, revive: true }, now);
}

export function createTokenKeepaliveHandler(deps: {
  tokens: Pick<TokenStore, 'idleSince' | 'get'>;
  accessTokens: Pick<AccessTokens, 'afterUnauthorized'>;
  clock: Clock;
  logger: Logger;
}): JobHandler {
  return async () => {
    const now = deps.clock.now();
    let refreshed = 0;
    let failed = 0;
    for (const { ownerId } of deps.tokens.idleSince(now - IDLE_AFTER_MS, PER_RUN)) {
      const current = deps.tokens.get(ownerId);
      if (!current) continue;
      try {
        // Treating the current access token as rejected forces exactly one refresh.
        await deps.accessTokens.afterUnauthorized(ownerId, current.accessToken);
        refreshed++;
      } catch (error) {
        failed++;
        deps.logger.warn({ ownerId, err: error }, 'idle installation could not be refreshed');
      }
    }
    deps.logger.info({ refreshed, failed }, 'token keep-alive done');
    return { runAgainAt: now + DAY };
  };
}
