// The pacer on a manual clock: window limit, first come first served per owner, independent owners, 429 penalties.
import { describe, expect, it } from 'vitest';
import { createPacer } from '../../src/highlevel/pacer.js';
import { createManualClock } from '../../src/lib/clock.js';

function setup(max = 3, intervalMs = 1_000) {
  const clock = createManualClock(0);
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    clock.advance(ms);
  };
  return { clock, sleeps, pacer: createPacer({ clock, sleep, max, intervalMs }) };
}

describe('createPacer', () => {
  it('when more than max requests are asked for within a window, then the extra ones wait for the window to slide', async () => {
    const { clock, pacer } = setup();
    const grantedAt: number[] = [];
    await Promise.all(Array.from({ length: 7 }, () => pacer.acquire('loc').then(() => grantedAt.push(clock.now()))));
    expect(grantedAt).toEqual([0, 0, 0, 1_000, 1_000, 1_000, 2_000]);
  });

  it('when callers of one owner queue up, then they are served in the order they asked', async () => {
    const { pacer } = setup(1);
    const order: number[] = [];
    await Promise.all([1, 2, 3, 4].map((n) => pacer.acquire('loc').then(() => order.push(n))));
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('when one owner is at its limit, then another owner is not held back', async () => {
    const { clock, pacer } = setup(2);
    await pacer.acquire('busy');
    await pacer.acquire('busy');
    await pacer.acquire('other');
    expect(clock.now()).toBe(0);
  });

  it('when an owner is penalized after a 429, then its next request waits that long', async () => {
    const { clock, sleeps, pacer } = setup();
    pacer.penalize('loc', 2_500);
    await pacer.acquire('loc');
    expect(sleeps).toEqual([2_500]);
    expect(clock.now()).toBe(2_500);
  });

  it('when HighLevel reports no requests remaining, then the owner waits out the reported interval', async () => {
    const { clock, pacer } = setup(90, 10_000);
    pacer.observe('loc', { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Interval-Milliseconds': '4000' });
    await pacer.acquire('loc');
    expect(clock.now()).toBe(4_000);
  });

  it('when HighLevel reports a few remaining, then only that many go before the window ends', async () => {
    const { clock, pacer } = setup(90, 10_000);
    pacer.observe('loc', { 'x-ratelimit-remaining': '2' });
    const grantedAt: number[] = [];
    await Promise.all(Array.from({ length: 3 }, () => pacer.acquire('loc').then(() => grantedAt.push(clock.now()))));
    expect(grantedAt).toEqual([0, 0, 10_000]);
  });

  it('when a request sent after a low count reports more, then HighLevel\'s window has turned and the owner goes on at once', async () => {
    const { clock, pacer } = setup(90, 10_000);
    pacer.observe('loc', { 'x-ratelimit-remaining': '1' }, 0);
    clock.advance(500);
    await pacer.acquire('loc');
    // Sent after the count of 1 was heard, and 99 are left: a new window began (HighLevel does not say when).
    pacer.observe('loc', { 'x-ratelimit-remaining': '99' }, clock.now());
    const grantedAt: number[] = [];
    await Promise.all(Array.from({ length: 3 }, () => pacer.acquire('loc').then(() => grantedAt.push(clock.now()))));
    expect(grantedAt).toEqual([500, 500, 500]);
  });

  it('when a late answer to a request sent before the low count reports more, then the low count still holds', async () => {
    const { clock, pacer } = setup(90, 10_000);
    pacer.observe('loc', { 'x-ratelimit-remaining': '1' }, 0);
    clock.advance(500);
    pacer.observe('loc', { 'x-ratelimit-remaining': '40' }, 0); // sent at 0, answered late: the same window
    const grantedAt: number[] = [];
    await Promise.all(Array.from({ length: 2 }, () => pacer.acquire('loc').then(() => grantedAt.push(clock.now()))));
    expect(grantedAt).toEqual([500, 10_000]);
  });
});

describe('createPacer admission (parking instead of waiting)', () => {
  it('when a job\'s requests fit now, then it is admitted at once and its requests go without waiting', async () => {
    const { clock, sleeps, pacer } = setup(4, 10_000);
    expect(pacer.admit('loc', 2)).toBe(0);
    await pacer.acquire('loc');
    await pacer.acquire('loc');
    expect(sleeps).toEqual([]);
    expect(clock.now()).toBe(0);
  });

  it('when a location is at its limit, then jobs asking are given later times one slot apart, never all the same time', () => {
    const { pacer } = setup(4, 10_000);
    expect(pacer.admit('loc', 2)).toBe(0);
    expect(pacer.admit('loc', 2)).toBe(0);
    // The window is full: each further job gets the time its two requests fit, after the jobs promised before it.
    expect([pacer.admit('loc', 2), pacer.admit('loc', 2), pacer.admit('loc', 2)]).toEqual([10_000, 10_000, 20_000]);
  });

  it('when parked jobs come back at their promised time, then they are admitted and a newcomer queues behind them', () => {
    const { clock, pacer } = setup(1, 10_000);
    expect(pacer.admit('loc', 1)).toBe(0);
    const promised = pacer.admit('loc', 1);
    expect(promised).toBe(10_000);
    clock.set(promised);
    expect(pacer.admit('loc', 1)).toBe(20_000); // a newcomer does not take the returning job's slot
    expect(pacer.admit('loc', 1, { returning: true })).toBe(promised);
  });

  it('when work asks only whether it fits now (ifNow), then it holds the slots if so, and otherwise is promised nothing', () => {
    const { pacer } = setup(2, 10_000);
    expect(pacer.admit('loc', 2, { ifNow: true })).toBe(0);
    // The window is full: it is told when the slots would fit, and nothing is promised to it (a promise would have
    // pushed the second answer a window later)...
    expect(pacer.admit('loc', 2, { ifNow: true })).toBe(10_000);
    expect(pacer.admit('loc', 2, { ifNow: true })).toBe(10_000);
    // ...so the job it becomes is the first in line.
    expect(pacer.admit('loc', 2)).toBe(10_000);
    // Once a job is promised that time, work that would jump ahead of it fits a window later.
    expect(pacer.admit('loc', 2, { ifNow: true })).toBe(20_000);
  });

  it('when a text-back asks while a location\'s reply tags are parked, then it is promised a slot ahead of them', () => {
    const { pacer } = setup(2, 10_000);
    pacer.admit('loc', 2, { priority: 10 });
    const tags = Array.from({ length: 6 }, () => pacer.admit('loc', 1, { priority: 10 }));
    expect(tags).toEqual([10_000, 10_000, 20_000, 20_000, 30_000, 30_000]);
    expect(pacer.admit('loc', 2, { priority: 0 })).toBe(10_000);
  });

  it('when one location is parked, then another location is admitted at once', () => {
    const { pacer } = setup(1, 10_000);
    pacer.admit('busy', 1);
    expect(pacer.admit('busy', 1)).toBe(10_000);
    expect(pacer.admit('other', 1)).toBe(0);
  });

  it('when admitted requests are never made, then their slots still count until the window slides (never more than the limit)', async () => {
    const { clock, sleeps, pacer } = setup(2, 10_000);
    pacer.admit('loc', 2);
    clock.advance(5_000); // the job needed none of them; held slots are let go after a while
    await pacer.acquire('loc');
    expect(sleeps).toEqual([5_000]);
  });
});
