// At start-up, the recurring jobs are made sure of: the daily retention run, the daily token keep-alive, and each
// installed location's catch-up (scheduled backups are seen to by createBackupJob's ensureScheduled). Idempotent.
import type { Logger } from '../lib/logger.js';
import type { JobQueue } from '../scheduler/queue-port.js';
import type { WorkflowDeps } from '../workflow/deps.js';
import { ensureCatchUps } from './catch-up.js';
import { ensureRetentionScheduled } from './retention.js';
import { scheduleTokenKeepalive } from './token-keepalive.js';

/** A synchronous queue has stored every job before this returns; failures are logged, never thrown at the caller. */
export async function schedulePeriodicJobs(deps: { queue: Pick<JobQueue, 'enqueue'>; workflow: WorkflowDeps; installedLocationIds: Iterable<string>; now: number; logger: Logger }): Promise<void> {
  const { queue, now, logger } = deps;
  // Each is asked now, not after a turn of the event loop: a synchronous queue stores it at once.
  const results = await Promise.allSettled([
    attempt(() => ensureRetentionScheduled(queue, now)),
    attempt(() => scheduleTokenKeepalive(queue, now)),
    attempt(() => ensureCatchUps(deps.workflow, deps.installedLocationIds)),
  ]);
  for (const result of results) {
    if (result.status === 'rejected') logger.error({ err: result.reason }, 'a recurring job could not be scheduled');
  }
}

function attempt(run: () => unknown): Promise<unknown> {
  try {
    return Promise.resolve(run());
  } catch (error) {
    return Promise.reject(error);
  }
}
