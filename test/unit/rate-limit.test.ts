// The in-memory fixed-window rate limiter behind /api/session and test messages.
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/lib/clock.js';
import { createRateLimiter } from '../../src/http/rate-limit.js';

describe('createRateLimiter', () => {
  it('when a key uses up its window, then it is refused until the window ends, and other keys are not affected', () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000, clock });
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([true, true, true, false]);
    expect(limiter.take('b')).toBe(true);
    clock.advance(45_000);
    expect(limiter.take('a')).toBe(false);
    expect(limiter.retryAfterMs('a')).toBe(15_000);
    clock.advance(15_000);
    expect(limiter.retryAfterMs('a')).toBe(0);
    expect(limiter.take('a')).toBe(true);
  });

  it('when more keys arrive than it may remember, then it stays bounded and a new key is still served', () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000, clock, maxKeys: 100 });
    for (let i = 0; i < 1_000; i++) expect(limiter.take(`ip-${i}`)).toBe(true);
    expect(limiter.take('ip-999')).toBe(false);
    expect(limiter.take('fresh')).toBe(true);
  });
});
