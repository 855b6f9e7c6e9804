// The in-memory fixed-window rate limiter behind test messages, and the client key every limit counts against.
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/lib/clock.js';
import { clientKeyOf, createRateLimiter } from '../../src/http/rate-limit.js';

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

describe('clientKeyOf', () => {
  it('when addresses share an IPv6 /64, then they are one client, however they are written; IPv4 stays whole', () => {
    expect(clientKeyOf('2001:db8:7:42::1')).toBe('2001:db8:7:42::/64');
    expect(clientKeyOf('2001:0DB8:0007:0042:ffff:ffff:ffff:fff0')).toBe('2001:db8:7:42::/64');
    expect(clientKeyOf('2001:db8::42:1')).toBe('2001:db8:0:0::/64');
    expect(clientKeyOf('2001:db8:7:43::1')).not.toBe(clientKeyOf('2001:db8:7:42::1'));
    expect(clientKeyOf('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientKeyOf('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
    expect(clientKeyOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientKeyOf('203.0.113.7')).toBe('203.0.113.7');
  });
});
