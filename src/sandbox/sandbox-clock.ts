// The sandbox's clock: the system clock plus an offset that the sandbox page moves forward ("make time pass").
import { systemClock, type Clock } from '../lib/clock.js';

export interface SandboxClock extends Clock {
  /** Moves sandbox time forward; time never runs backwards (jobs and tokens would see the past again). */
  advance(ms: number): void;
  /** How far sandbox time is ahead of the system clock, in ms. */
  offset(): number;
}

export function createSandboxClock(offsetMs = 0, base: Clock = systemClock): SandboxClock {
  if (!Number.isFinite(offsetMs)) throw new Error('sandbox clock offset must be a finite number');
  let offset = offsetMs;
  return {
    now: () => base.now() + offset,
    advance(ms) {
      if (!Number.isFinite(ms) || ms <= 0) throw new Error('sandbox time only moves forward');
      offset += ms;
    },
    offset: () => offset,
  };
}
