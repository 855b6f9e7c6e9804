// A job as the workflow asks for one: what the Scheduler port stores, and what a provider's receipt may ask for.

export interface ScheduledJob {
  kind: string;
  locationId: string;
  subject: string;
  dedupeKey: string;
  runAt: number;
  payload: unknown;
  /** Recurring jobs: bring back a finished job with the same key. */
  revive?: boolean;
}
