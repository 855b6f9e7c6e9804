// Job kind → the workflow rule that runs it. One log line per handled job, with its outcome.
import type { Logger } from '../lib/logger.js';
import { NotInstalledError } from '../lib/errors.js';
import { parseEvent, WEBHOOK_JOB } from '../highlevel/events.js';
import { JOB, type WorkflowDeps } from '../workflow/deps.js';
import { handleEvent } from '../workflow/handle-event.js';
import { runTextBack } from '../workflow/text-back.js';
import { runFollowUp } from '../workflow/follow-up.js';
import { runCatchUp, type CatchUpJob } from '../workflow/catch-up.js';
import type { FollowUpJob } from '../workflow/text-back.js';
import type { TextBackJob } from '../workflow/missed-call.js';
import type { JobHandler } from '../scheduler/worker.js';

export function workflowJobHandlers(deps: WorkflowDeps, logger: Logger): Record<string, JobHandler> {
  return {
    [WEBHOOK_JOB]: async (job) => {
      const event = parseEvent(job.payload, job.createdAt);
      let outcome: string;
      try {
        outcome = await handleEvent(deps, event);
      } catch (error) {
        // Uninstalled while the event waited: there is nothing to do for it, now or later.
        if (!(error instanceof NotInstalledError)) throw error;
        outcome = 'ignored:not-installed';
      }
      logger.info({ job: job.id, event: event.kind, locationId: job.locationId, outcome }, 'webhook event handled');
    },
    [JOB.textBack]: async (job) => {
      const result = await runTextBack(deps, job.payload as TextBackJob);
      logger.info({ job: job.id, kind: job.kind, locationId: job.locationId, deferredTo: result?.runAgainAt }, 'text-back job ran');
      return result;
    },
    [JOB.followUp]: async (job) => {
      const result = await runFollowUp(deps, job.payload as FollowUpJob);
      logger.info({ job: job.id, kind: job.kind, locationId: job.locationId, deferredTo: result?.runAgainAt }, 'follow-up job ran');
      return result;
    },
    [JOB.catchUp]: (job) => runCatchUp(deps, job.payload as CatchUpJob),
  };
}
