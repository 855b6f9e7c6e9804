// The daily 'token-keepalive' kind keeps idle installations alive for years: HighLevel refresh tokens expire after a
// year unused, so any token not refreshed for 30 days is refreshed (through the same single-flight, CAS path).
import { DAY, type Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { Awaitable, JobQueue } from '../scheduler/queue-port.js';
import type { TokenStorePort } from '../store/storage.js';
import type { AccessTokens } from '../highlevel/access-tokens.js';
import { defineJobKind, NoPayloadSchema } from './job-kind.js';
import { TOKEN_KEEPALIVE_JOB } from './kind-names.js';
import { PRIORITY } from './priorities.js';

const IDLE_AFTER_MS = 30 * DAY;
const PER_RUN = 500;

export interface TokenKeepaliveDeps {
  tokens: Pick<TokenStorePort, 'idleSince' | 'get'>;
  accessTokens: Pick<AccessTokens, 'afterUnauthorized'>;
  clock: Clock;
  logger: Logger;
}

/** At start-up: the next run a day from now, unless one is pending already (a finished one is brought back). */
export function scheduleTokenKeepalive(queue: Pick<JobQueue, 'enqueue'>, now: number): Awaitable<boolean> {
  return queue.enqueue({ kind: TOKEN_KEEPALIVE_JOB, payload: {}, runAt: now + DAY, dedupeKey: TOKEN_KEEPALIVE_JOB, revive: true }, now);
}

export const tokenKeepaliveKind = defineJobKind({
  name: TOKEN_KEEPALIVE_JOB,
  priority: PRIORITY.keepAlive,
  highLevelRequests: 0,
  payload: NoPayloadSchema,
  handler: (deps: TokenKeepaliveDeps) => async () => {
    const now = deps.clock.now();
    let refreshed = 0;
    let failed = 0;
    for (const { ownerId } of await deps.tokens.idleSince(now - IDLE_AFTER_MS, PER_RUN)) {
      const current = await deps.tokens.get(ownerId);
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
  },
});
