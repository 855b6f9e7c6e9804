// When the crash test pulls the plug: kill -9 at random points of the work, each just as a send reaches HighLevel (so
// texts are in flight), noting which sends were in flight; then restart on the same database and wait until it serves.
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppProcess } from './crash-child.js';
import type { SendFront, TrackedSend } from './crash-front.js';

export interface Kill {
  phase: string;
  /** When the signal went out (epoch ms). */
  at: number;
  /** Sends received by HighLevel whose answer had not reached the app when the signal went out. */
  inFlight: TrackedSend[];
  restartMs: number;
}

export function createKillSwitch(deps: { app: AppProcess; front: SendFront; random: () => number }) {
  const kills: Kill[] = [];
  let plan: { phase: string; progress: () => number; base: number; at: number[] } = { phase: '', progress: () => 0, base: 0, at: [] };
  let busy: Promise<void> | null = null;
  let failure: unknown = null;

  async function killAndRestart(phase: string): Promise<void> {
    // A few ms after the arrival, always less than the 10 ms the front holds an answer: the send is still in flight.
    await sleep(deps.random() * 8);
    const inFlight = deps.front.inFlight();
    const at = Date.now();
    await deps.app.kill(); // the signal goes out in this same tick, before any answer can leave the front
    const startedAt = Date.now();
    await deps.app.start();
    kills.push({ phase, at, inFlight, restartMs: Date.now() - startedAt });
  }

  // Checked as each send arrives, so that every kill finds that send in flight.
  deps.front.onArrival(() => {
    if (busy || plan.at.length === 0 || plan.progress() - plan.base < plan.at[0]) return;
    plan.at.shift();
    busy = killAndRestart(plan.phase).catch((error: unknown) => { failure = error; }).finally(() => { busy = null; });
  });

  return {
    kills,
    /**
     * Kills `count` times at random points of the coming work, between `from` and `to` (fractions of `total`), as
     * measured by `progress` (e.g. webhooks acknowledged plus sends received).
     */
    arm(phase: string, count: number, work: { progress: () => number; total: number; from: number; to: number }): void {
      const at = Array.from({ length: count }, () => Math.max(1, Math.round(work.total * (work.from + deps.random() * (work.to - work.from)))));
      plan = { phase, progress: work.progress, base: work.progress(), at: at.sort((a, b) => a - b) };
    },
    /** True while a kill or its restart is under way. */
    busy: () => busy !== null,
    /** Throws what went wrong in a restart, if anything. */
    check(): void {
      if (failure) throw failure;
    },
  };
}
