// Per-owner request pacing under HighLevel's burst limit (100 requests / 10 s per app per location or company).
import type { Clock } from '../lib/clock.js';
import { andThen, type Awaitable } from '../lib/awaitable.js';
import type { PacingSlots } from '../store/pacing-slots.js';

export interface PacerOptions {
  clock: Clock;
  /** Production: a real setTimeout; tests: advance a manual clock. */
  sleep(ms: number): Promise<void>;
  /** Requests allowed per window; below HighLevel's 100 to leave room for other processes and retries. */
  max?: number;
  intervalMs?: number;
  /**
   * Slots every instance on the database counts (docs/decisions/0012): each request, or each admitted job's requests
   * together, also needs a reservation there, and a 429's hold is shared. Absent (SQLite, one process): memory alone.
   */
  shared?: PacingSlots;
}

export interface Pacer {
  /** Resolves when the owner may send one more request; callers of one owner are served first come, first served. */
  acquire(ownerId: string): Promise<void>;
  /**
   * For a job about to run that will make `requests` requests for the owner: `now` when they fit now (they are then
   * held for its next acquire() calls), else the time they will fit, which is promised to it so the next job asking
   * is given a later time (parked jobs come back one slot apart, not all at once). `returning`: the job was held back
   * before and comes back for the time it was promised. `priority` (lower first, default 0): a job is promised a
   * time ahead of every promise to lower-priority jobs, which then wait longer. Answers later only with `shared`
   * slots (when the owner's requests fit here and the shared window is asked). `ifNow`: for work that would run
   * inside the job asking, else be queued as a job of its own: when they do not fit now nothing is promised (that
   * job asks again when it comes up).
   */
  admit(ownerId: string, requests: number, options?: AdmitOptions): Awaitable<number>;
  /**
   * Learns from HighLevel's X-RateLimit-Remaining / X-RateLimit-Interval-Milliseconds response headers. `sentAt`:
   * when the answered request left, which tells a new window from a late answer of the old one (without it, a higher
   * count than the one heard before is not believed until the window assumed from that one ends).
   */
  observe(ownerId: string, headers: Record<string, unknown>, sentAt?: number): void;
  /** Holds the owner's requests for `ms` (after a 429). */
  penalize(ownerId: string, ms: number): void;
}

export interface AdmitOptions { returning?: boolean; priority?: number; ifNow?: boolean }

interface OwnerState {
  /** When each request of the current window was let through, oldest first. */
  granted: number[];
  blockedUntil: number;
  /**
   * What HighLevel last said is left of its window, counted down locally until that window ends (as far as we know:
   * the headers do not say when it began, so it is assumed to begin at `observedAt`). `reported`: the count it said.
   */
  budget: { remaining: number; until: number; observedAt: number; reported: number } | null;
  intervalMs: number;
  tail: Promise<void>;
  /** Slots admit() granted (their times are in `granted`) that no acquire() has used yet. */
  held: number[];
  /** Priority → times promised to parked jobs of that priority, ascending; each is one request. */
  promised: Map<number, number[]>;
}

/** A held slot unused this long is let go (its job needed fewer requests); it stays counted in its window. */
const HOLD_MS = 2_000;

/** A pacer of one process alone (no `shared` slots): admit() always answers at once. */
export interface LocalPacer extends Pacer {
  admit(ownerId: string, requests: number, options?: AdmitOptions): number;
}

export function createPacer(options: PacerOptions & { shared?: undefined }): LocalPacer;
export function createPacer(options: PacerOptions): Pacer;
export function createPacer(options: PacerOptions): Pacer {
  const { clock, sleep, shared } = options;
  const max = options.max ?? 90;
  const owners = new Map<string, OwnerState>();

  const stateOf = (ownerId: string): OwnerState => {
    let state = owners.get(ownerId);
    if (!state) {
      state = { granted: [], blockedUntil: 0, budget: null, intervalMs: options.intervalMs ?? 10_000, tail: Promise.resolve(), held: [], promised: new Map() };
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

  /**
   * The earliest instant `requests` more fit after the promises that come first (`first`): counted over the window's
   * grants and those promised times together, and with `inLine`, never before the last of them (parked jobs of one
   * priority keep their order).
   */
  function promiseSlot(state: OwnerState, now: number, requests: number, first: (priority: number) => boolean, inLine: boolean): number {
    let at = nextSlot(state, now);
    // Only the latest `max` times of each line can decide: the window holds no more than that.
    const recent: number[] = state.granted.slice(-max);
    let count = state.granted.length;
    for (const [priority, times] of state.promised) {
      if (!first(priority) || times.length === 0) continue;
      if (inLine) at = Math.max(at, times[times.length - 1]);
      for (let k = Math.max(0, times.length - max); k < times.length; k += 1) recent.push(times[k]);
      count += times.length;
    }
    recent.sort((a, b) => a - b);
    // The window must hold at most max - requests of them: the one before those must have left it.
    const index = recent.length - (max - requests) - 1;
    if (count + requests > max && index >= 0) at = Math.max(at, recent[index] + state.intervalMs);
    if (state.budget && state.budget.remaining < requests) at = Math.max(at, state.budget.until);
    return at;
  }

  function grant(state: OwnerState, now: number): void {
    state.granted.push(now);
    if (state.budget) state.budget.remaining -= 1;
  }

  /** Uses a slot admit() held for this owner, re-dated to now so the window counts the request when it goes. */
  function useHeld(state: OwnerState, now: number): boolean {
    while (state.held.length > 0) {
      const heldAt = state.held.shift()!;
      if (heldAt < now - HOLD_MS) continue;
      const index = state.granted.indexOf(heldAt);
      if (index >= 0) {
        state.granted.splice(index, 1);
        state.granted.push(now);
      }
      return true;
    }
    return false;
  }

  async function waitTurn(ownerId: string, state: OwnerState): Promise<void> {
    for (;;) {
      const now = clock.now();
      let at = nextSlot(state, now);
      if (at <= now && shared) {
        const reservation = await shared.reserve(ownerId, { count: 1, now, expiresAt: now + state.intervalMs, max });
        // Refused: another instance holds the window (or a 429's hold); its slots free up at retryAt.
        if (!reservation.granted) at = Math.max(now + 1, reservation.retryAt);
      }
      if (at <= now) {
        grant(state, now);
        return;
      }
      await sleep(at - now);
    }
  }

  /** Parks `requests` of a job in its priority's line at `at` or after the last of that line; returns its time. */
  function promise(state: OwnerState, priority: number, requests: number, at: number): number {
    let line = state.promised.get(priority);
    if (!line) {
      line = [];
      state.promised.set(priority, line);
    }
    // In line, so at or after the last of its priority.
    const time = Math.max(at, line.length > 0 ? line[line.length - 1] : at);
    for (let i = 0; i < requests; i += 1) line.push(time);
    return time;
  }

  function hold(state: OwnerState, now: number, requests: number): number {
    for (let i = 0; i < requests; i += 1) {
      grant(state, now);
      state.held.push(now);
    }
    return now;
  }

  return {
    acquire(ownerId) {
      const state = stateOf(ownerId);
      if (state.held.length > 0 && useHeld(state, clock.now())) return Promise.resolve();
      const turn = state.tail.then(() => waitTurn(ownerId, state));
      state.tail = turn.catch(() => undefined);
      return turn;
    },
    admit(ownerId, wanted, admitOptions = {}) {
      const state = stateOf(ownerId);
      const requests = Math.max(1, Math.min(wanted, max));
      const priority = admitOptions.priority ?? 0;
      const now = clock.now();
      // Promises come due as their jobs return; one not redeemed within a window was never going to be.
      for (const times of state.promised.values()) {
        let stale = 0;
        while (stale < times.length && times[stale] < now - state.intervalMs) stale += 1;
        if (stale > 0) times.splice(0, stale);
      }
      let at: number;
      if (admitOptions.returning) {
        // It redeems what it was promised, and goes if its requests fit beside every promise made to more urgent jobs.
        const own = state.promised.get(priority);
        if (own) {
          let due = 0;
          while (due < requests && due < own.length && own[due] <= now) due += 1;
          own.splice(0, due);
        }
        at = promiseSlot(state, now, requests, (other) => other < priority, false);
      } else {
        // Anyone else queues behind every promise still owed to jobs as urgent or more.
        at = promiseSlot(state, now, requests, (other) => other <= priority, true);
      }
      if (at <= now) {
        if (!shared) return hold(state, now, requests);
        // They fit here; all of them must also fit the window every instance counts. Held slots count until their
        // requests can last have gone (HOLD_MS) plus the window.
        const expiresAt = now + state.intervalMs + HOLD_MS;
        return andThen(shared.reserve(ownerId, { count: requests, now, expiresAt, max }), (reservation) => {
          if (reservation.granted) return hold(state, now, requests);
          const retryAt = Math.max(now + 1, reservation.retryAt);
          return admitOptions.ifNow ? retryAt : promise(state, priority, requests, retryAt);
        });
      }
      if (admitOptions.ifNow) return at;
      if (admitOptions.returning) at = promiseSlot(state, now, requests, (other) => other <= priority, true);
      return promise(state, priority, requests, at);
    },
    observe(ownerId, headers, sentAt) {
      const state = stateOf(ownerId);
      const interval = numberHeader(headers, 'x-ratelimit-interval-milliseconds');
      if (interval !== null && interval > 0) state.intervalMs = interval;
      const remaining = numberHeader(headers, 'x-ratelimit-remaining');
      if (remaining === null) return;
      // Answers arrive out of order: within one window the lowest count HighLevel reported is the true one. But a
      // request sent after that count was heard that reports more can only mean its window has turned (or slid)
      // since: believe it, instead of waiting out a window that HighLevel has already reset (a burst stalled for up
      // to a whole interval with the quota back).
      const now = clock.now();
      const budget = state.budget;
      const newWindow = budget !== null && sentAt !== undefined && sentAt > budget.observedAt && remaining > budget.reported;
      if (budget && budget.until > now && !newWindow) {
        budget.remaining = Math.min(budget.remaining, remaining);
        budget.reported = Math.min(budget.reported, remaining);
      } else {
        state.budget = { remaining, until: now + state.intervalMs, observedAt: now, reported: remaining };
      }
    },
    penalize(ownerId, ms) {
      const state = stateOf(ownerId);
      state.blockedUntil = Math.max(state.blockedUntil, clock.now() + Math.max(0, ms));
      // Every instance holds back too; one that does not hear of it meets HighLevel's own 429 and learns the same way.
      if (shared) void Promise.resolve().then(() => shared.block(ownerId, state.blockedUntil)).catch(() => undefined);
    },
  };
}

function numberHeader(headers: Record<string, unknown>, name: string): number | null {
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  const value = entry ? Number(Array.isArray(entry[1]) ? entry[1][0] : entry[1]) : NaN;
  return Number.isFinite(value) && value >= 0 ? value : null;
}
