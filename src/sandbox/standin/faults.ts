// Fault injection for resilience tests: with probability `rate`, a request gets a 429, a 500 or a hang instead.
import type { FaultKind } from './types.js';

export const DEFAULT_HANG_MS = 30_000;

export interface FaultPlan {
  rate: number;
  kinds: FaultKind[];
  hangMs?: number;
}

/** One draw per request decides whether (a draw below `rate` faults); a faulted request takes a second draw for the kind. */
export function createFaultInjector(plan: FaultPlan | undefined, random: () => number) {
  function pick(): FaultKind | undefined {
    if (plan === undefined || plan.kinds.length === 0 || plan.rate <= 0) return undefined;
    if (random() >= plan.rate) return undefined;
    const index = Math.min(plan.kinds.length - 1, Math.floor(random() * plan.kinds.length));
    return plan.kinds[index];
  }

  return { pick, hangMs: plan?.hangMs ?? DEFAULT_HANG_MS };
}
