// Read-only look at what the app recorded, for the sandbox page: each call's decision and follow-up, each reply's
// meaning, opt-outs and the demo location's settings. Never writes; the workflow does not know it is observed.
import type { LocationRecord } from '../store/locations.js';
import type { Storage } from '../store/storage.js';
import { JOB } from '../workflow/deps.js';

export interface CallOutcome {
  decision: string;
  /** calls.followup: pending, deferred:<iso>, sent, cancelled:<why>, skipped:<why>, failed:<why>; null when none. */
  followUp: string | null;
  /** The follow-up job, which a reply or an answered call-back cancels without touching calls.followup. */
  followUpJob: { status: string; runAt: number } | null;
}

export type CancellationReason = 'opted-out' | 'replied' | 'answered-call-back';

/** What was recorded about some calls, texts and numbers, read at once: the page's view is built synchronously. */
export interface ObservedOutcomes {
  call(callKey: string): CallOutcome | null;
  cancellationReason(callKey: string): CancellationReason | null;
  replyMeaning(replyKey: string): string | null;
  isSuppressed(phone: string): boolean;
}

/** `storage` is the running app's (ComposedApp.storage). */
export function createObserver(storage: Pick<Storage, 'locations' | 'suppressions' | 'callOutcomes'>, locationId: string) {
  const { locations, suppressions, callOutcomes } = storage;

  async function call(callKey: string): Promise<CallOutcome | null> {
    const found = await callOutcomes.call(locationId, callKey);
    if (!found) return null;
    const followUpJob = await callOutcomes.job(`${JOB.followUp}:${locationId}:${callKey}`);
    return { decision: found.decision, followUp: found.followUp, followUpJob };
  }

  /** Why a follow-up job was cancelled, from what happened after the call. */
  async function cancellationReason(callKey: string): Promise<CancellationReason | null> {
    const found = await callOutcomes.call(locationId, callKey);
    if (!found?.phone) return null;
    if (await suppressions.isSuppressed(locationId, found.phone)) return 'opted-out';
    if (await callOutcomes.repliedSince(locationId, found.phone, found.occurredAt)) return 'replied';
    if (await callOutcomes.answeredSince(locationId, found.phone, found.occurredAt)) return 'answered-call-back';
    return null;
  }

  const isSuppressed = async (phone: string): Promise<boolean> => suppressions.isSuppressed(locationId, phone);
  const replyMeaning = async (replyKey: string): Promise<string | null> => callOutcomes.replyMeaning(locationId, replyKey);

  return {
    location: async (): Promise<LocationRecord | null> => locations.get(locationId),
    /** Everything the page shows about these calls, texts and numbers (a call's cancellation only when it has an outcome). */
    async outcomes(seen: { callKeys: string[]; replyKeys: string[]; phones: string[] }): Promise<ObservedOutcomes> {
      const calls = new Map<string, CallOutcome | null>();
      const reasons = new Map<string, CancellationReason | null>();
      const meanings = new Map<string, string | null>();
      const suppressed = new Map<string, boolean>();
      for (const callKey of seen.callKeys) {
        const outcome = await call(callKey);
        calls.set(callKey, outcome);
        if (outcome) reasons.set(callKey, await cancellationReason(callKey));
      }
      for (const replyKey of seen.replyKeys) meanings.set(replyKey, await replyMeaning(replyKey));
      for (const phone of seen.phones) suppressed.set(phone, await isSuppressed(phone));
      return {
        call: (callKey) => calls.get(callKey) ?? null,
        cancellationReason: (callKey) => reasons.get(callKey) ?? null,
        replyMeaning: (replyKey) => meanings.get(replyKey) ?? null,
        isSuppressed: (phone) => suppressed.get(phone) ?? false,
      };
    },
  };
}
export type Observer = ReturnType<typeof createObserver>;
