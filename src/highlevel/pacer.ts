// Per-owner request pacing under HighLevel's burst limit (100 requests / 10 s per app per location or company).
import type { Clock } from '../lib/clock.js';

export interface PacerOptions {
  clock: Clock;
  /** Production: a real setTimeout; tests: advance a manual clock. */
  sleep(ms: number): Promise<void>;
  /** Requests allowed per window; below HighLevel's 100 to leave room for other processes and retries. */
  max?: number;
  intervalMs?: number;
}

export interface Pacer {
  /** Resolves when the owner may send one more request; callers of one owner are served first come, first served. */
  acquire(ownerId: string): Promise<void>;
  /** Learns from HighLevel's X-RateLimit-Remaining / X-RateLimit-Interval-Milliseconds response headers. */
  observe(ownerId: string, headers: Record<string, unknown>): void;
  /** Holds the owner's requests for `ms` (after a 429). */
  penalize(ownerId: string, ms: number): void;
}

interface OwnerState {
  /** When each request of the current window was let through, oldest first. */
  granted: number[];
  blockedUntil: number;
  /** What HighLevel last said is left of its window, counted down locally until that window ends. */
  budget: { remaining: number; until: number } | null;
  intervalMs: number;
  tail: Promise<void>;
}

export function createPacer(options: PacerOptions): Pacer {
  const { clock, sleep } = options;
  const max = options.max ?? 90;
  const owners = new Map<string, OwnerState>();

  const stateOf = (ownerId: string): OwnerState => {
    let state = owners.get(ownerId);
    if (!state) {
      state = { granted: [], blockedUntil: 0, budget: null, intervalMs: options.intervalMs ?? 10_000, tail: Promise.resolve() };
      owners.set(ownerId, state);
    }
    return state;
  };

  /** The earliest instant the next request may go, or `now` when it may go at once. */
  function nextSlot(state: OwnerState, now: number): number {
    while (state.granted.length > 0 && state.granted[0] <= now - state.intervalMs) state.granted.shift();
    if (state.budget && state.budget.until <= now) state.budget = null;
    let at = Math.max(now, state.blockedUntil);
    if (state.granted.length >= max) at = Math.max(at, state.granted[state.granted.length - max] + state.intervalMs);
    if (state.budget && state.budget.remaining <= 0) at = Math.max(at, state.budget.until);
    return at;
  }

  async function waitTurn(state: OwnerState): Promise<void> {
    for (;;) {
      const now = clock.now();
      const at = nextSlot(state, now);
      if (at <= now) {
        state.granted.push(now);
        if (state.budget) state.budget.remaining -= 1;
        return;
      }
      await sleep(at - now);
    }
  }

  return {
    acquire(ownerId) {
      const state = stateOf(ownerId);
      const turn = state.tail.then(() => waitTurn(state));
      state.tail = turn.catch(() => undefined);
      return turn;
    },
    observe(ownerId, headers) {
      const state = stateOf(ownerId);
      const interval = numberHeader(headers, 'x-ratelimit-interval-milliseconds');
      if (interval !== null && interval > 0) state.intervalMs = interval;
      const remaining = numberHeader(headers, 'x-ratelimit-remaining');
      if (remaining === null) return;
      // Answers arrive out of order: within one window the lowest count HighLevel reported is the true one.
      const now = clock.now();
      if (state.budget && state.budget.until > now) state.budget.remaining = Math.min(state.budget.remaining, remaining);
      else state.budget = { remaining, until: now + state.intervalMs };
    },
    penalize(ownerId, ms) {
      const state = stateOf(ownerId);
      state.blockedUntil = Math.max(state.blockedUntil, clock.now() + Math.max(0, ms));
    },
  };
}

function numberHeader(headers: Record<string, unknown>, name: string): number | null {
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  const value = entry ? Number(Array.isArray(entry[1]) ? entry[1][0] : entry[1]) : NaN;
  return Number.isFinite(value) && value >= 0 ? value : null;
}
