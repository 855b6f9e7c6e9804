// The workflow's Scheduler port on the job queue port.
import type { Clock } from '../lib/clock.js';
import type { ScheduledJob } from '../workflow/ports/storage.js';
import type { Awaitable, CancelFilter, JobQueue } from './queue-port.js';

export interface WorkflowSchedulerOptions {
  /** Told when a job due now was stored (the worker looks at once). */
  onScheduled?: () => void;
  /** Whether a job's work may run at once inside the running job (its location's HighLevel pace admits it now). */
  admitsNow?: (job: ScheduledJob) => Awaitable<boolean>;
}

export function createWorkflowScheduler(queue: Pick<JobQueue, 'enqueue' | 'cancel' | 'hasPending'>, clock: Clock, options: WorkflowSchedulerOptions = {}) {
  const { onScheduled, admitsNow } = options;
  return {
    ...(admitsNow ? { admitsNow } : {}),
    async schedule(job: ScheduledJob): Promise<boolean> {
      const stored = await queue.enqueue(job, clock.now());
      if (stored && job.runAt <= clock.now()) onScheduled?.();
      return stored;
    },
    noteStored(jobs: readonly { runAt: number }[]): void {
      const now = clock.now();
      if (jobs.some((job) => job.runAt <= now)) onScheduled?.();
    },
    cancel: async (filter: CancelFilter): Promise<number> => queue.cancel(filter, clock.now()),
    hasPending: async (filter: { locationId: string; subject: string; kind: string }): Promise<boolean> => queue.hasPending(filter),
  };
}
