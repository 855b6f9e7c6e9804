// Read-only look at what the app recorded, for the sandbox page: each call's decision and follow-up, each reply's
// meaning, opt-outs and the demo location's settings. Never writes; the workflow does not know it is observed.
import type { LocationRecord } from '../store/locations.js';
import type { Storage } from '../store/sqlite-storage.js';
import { JOB } from '../workflow/deps.js';

export interface CallOutcome {
  decision: string;
  /** calls.followup: pending, deferred:<iso>, sent, cancelled:<why>, skipped:<why>, failed:<why>; null when none. */
  followUp: string | null;
  /** The follow-up job, which a reply or an answered call-back cancels without touching calls.followup. */
  followUpJob: { status: string; runAt: number } | null;
}

/** `storage` is the running app's (ComposedApp.storage). */
export function createObserver(storage: Pick<Storage, 'locations' | 'suppressions' | 'callOutcomes'>, locationId: string) {
  const { locations, suppressions, callOutcomes } = storage;

  return {
    location: (): LocationRecord | null => locations.get(locationId),
    isSuppressed: (phone: string): boolean => suppressions.isSuppressed(locationId, phone),
    call(callKey: string): CallOutcome | null {
      const call = callOutcomes.call(locationId, callKey);
      if (!call) return null;
      const followUpJob = callOutcomes.job(`${JOB.followUp}:${locationId}:${callKey}`);
      return { decision: call.decision, followUp: call.followUp, followUpJob };
    },
    /** Why a follow-up job was cancelled, from what happened after the call. */
    cancellationReason(callKey: string): 'opted-out' | 'replied' | 'answered-call-back' | null {
      const call = callOutcomes.call(locationId, callKey);
      if (!call?.phone) return null;
      if (suppressions.isSuppressed(locationId, call.phone)) return 'opted-out';
      if (callOutcomes.repliedSince(locationId, call.phone, call.occurredAt)) return 'replied';
      if (callOutcomes.answeredSince(locationId, call.phone, call.occurredAt)) return 'answered-call-back';
      return null;
    },
    replyMeaning: (replyKey: string): string | null => callOutcomes.replyMeaning(locationId, replyKey),
  };
}
export type Observer = ReturnType<typeof createObserver>;
