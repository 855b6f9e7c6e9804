// The workflow's own job kinds: the text back to a missed caller and its follow-up. One log line per run.
import { z } from 'zod';
import type { Logger } from '../lib/logger.js';
import type { WorkflowDeps } from '../workflow/deps.js';
import { runTextBack } from '../workflow/text-back.js';
import { runFollowUp } from '../workflow/follow-up.js';
import { defineJobKind } from './job-kind.js';
import { FOLLOW_UP_JOB, TEXT_BACK_JOB } from './kind-names.js';
import { PRIORITY } from './priorities.js';

interface WorkflowJobDeps { workflow: WorkflowDeps; logger: Logger }

/** The workflow's TextBackJob (src/workflow/missed-call.ts). */
export const TextBackPayloadSchema = z.object({ callId: z.number().int() });
/** The workflow's FollowUpJob (src/workflow/text-back.ts). */
export const FollowUpPayloadSchema = z.object({ callId: z.number().int(), textBackSentAt: z.number() });

export const textBackKind = defineJobKind({
  name: TEXT_BACK_JOB,
  priority: PRIORITY.urgent,
  // The contact read and the send.
  highLevelRequests: 2,
  payload: TextBackPayloadSchema,
  handler: ({ workflow, logger }: WorkflowJobDeps) => async (payload, job) => {
    const result = await runTextBack(workflow, payload);
    logger.info({ job: job.id, kind: job.kind, locationId: job.locationId, deferredTo: result?.runAgainAt }, 'text-back job ran');
    return result;
  },
});

export const followUpKind = defineJobKind({
  name: FOLLOW_UP_JOB,
  priority: PRIORITY.followUp,
  highLevelRequests: 2,
  payload: FollowUpPayloadSchema,
  handler: ({ workflow, logger }: WorkflowJobDeps) => async (payload, job) => {
    const result = await runFollowUp(workflow, payload);
    logger.info({ job: job.id, kind: job.kind, locationId: job.locationId, deferredTo: result?.runAgainAt }, 'follow-up job ran');
    return result;
  },
});
