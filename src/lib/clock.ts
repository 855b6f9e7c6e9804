// Time as a dependency: production reads the system clock, tests and the sandbox move a manual one.
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface ManualClock extends Clock {
  set(at: number): void;
  advance(ms: number): void;
}

export function createManualClock(startAt = Date.UTC(2026, 0, 5, 15, 0, 0)): ManualClock {
  let current = startAt;
  return {
    now: () => current,
    set: (at) => { current = at; },
    advance: (ms) => { current += ms; },
  };
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
