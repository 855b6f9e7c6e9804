// The workflow's Scheduler port on the job queue port.
import type { Clock } from '../lib/clock.js';
import type { ScheduledJob } from '../workflow/ports/storage.js';
import type { CancelFilter, JobQueue } from './queue-port.js';

export function createWorkflowScheduler(queue: Pick<JobQueue, 'enqueue' | 'cancel' | 'hasPending'>, clock: Clock, onScheduled?: () => void) {
  return {
    async schedule(job: ScheduledJob): Promise<boolean> {
      const stored = await queue.enqueue(job, clock.now());
      if (stored && job.runAt <= clock.now()) onScheduled?.();
      return stored;
    },
    cancel: async (filter: CancelFilter): Promise<number> => queue.cancel(filter, clock.now()),
    hasPending: async (filter: { locationId: string; subject: string; kind: string }): Promise<boolean> => queue.hasPending(filter),
  };
}
