// The workflow's Scheduler port on the SQLite job queue.
import type { Clock } from '../lib/clock.js';
import type { ScheduledJob } from '../workflow/ports/storage.js';
import type { JobQueue } from '../store/job-queue.js';

export function createWorkflowScheduler(queue: JobQueue, clock: Clock, onScheduled?: () => void) {
  return {
    schedule(job: ScheduledJob): boolean {
      const stored = queue.enqueue(job, clock.now());
      if (stored && job.runAt <= clock.now()) onScheduled?.();
      return stored;
    },
    cancel: (filter: { locationId: string; subject?: string; kinds?: string[] }) => queue.cancel(filter, clock.now()),
    hasPending: (filter: { locationId: string; subject: string; kind: string }) => queue.hasPending(filter),
  };
}
