// The in-memory pacing slots against the shared contract, and pacers of several instances sharing one set of slots:
// together they stay within the budget in every window, and a 429 one of them met holds the others too.
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/lib/clock.js';
import { createPacer, type Pacer } from '../../src/highlevel/pacer.js';
import { createMemoryPacingSlots, type PacingSlots } from '../../src/store/pacing-slots.js';
import { describePacingSlotsContract } from '../contracts/pacing-slots-contract.js';

describePacingSlotsContract('memory', () => createMemoryPacingSlots());

/** The most requests any 10 s window holds (sliding, as HighLevel's burst limit counts). */
function busiestWindow(times: number[], windowMs = 10_000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i += 1) {
    while (sorted[i] - sorted[j] >= windowMs) j += 1;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

function instances(count: number, shared: PacingSlots | undefined) {
  const clock = createManualClock(0);
  const sleeps: { at: number; wake: () => void }[] = [];
  const sleep = (ms: number) => new Promise<void>((wake) => { sleeps.push({ at: clock.now() + ms, wake }); });
  const pacers: Pacer[] = Array.from({ length: count }, () => createPacer({ clock, sleep, ...(shared ? { shared } : {}) }));
  /** Lets every sleeper due by `until` wake, in time order, letting promises run between. */
  async function runUntil(until: number): Promise<void> {
    for (;;) {
      // A macrotask turn: every promise chain woken so far runs until it sleeps again.
      await new Promise<void>((done) => { setImmediate(done); });
      sleeps.sort((a, b) => a.at - b.at);
      const next = sleeps[0];
      if (!next || next.at > until) break;
      sleeps.shift();
      if (next.at > clock.now()) clock.set(next.at);
      next.wake();
    }
    if (clock.now() < until) clock.set(until);
  }
  return { clock, pacers, runUntil };
}

describe('pacers of several instances', () => {
  async function burst(shared: PacingSlots | undefined): Promise<number[]> {
    const { clock, pacers, runUntil } = instances(3, shared);
    const sent: number[] = [];
    // Each instance sends 120 requests for one location as fast as its pacer lets it.
    const all = pacers.flatMap((pacer) => Array.from({ length: 120 }, () => pacer.acquire('loc').then(() => { sent.push(clock.now()); })));
    await runUntil(60_000);
    await Promise.all(all);
    return sent;
  }

  it('when three instances share slots, then no 10 s window holds more than the budget of 90, and all requests go', async () => {
    const sent = await burst(createMemoryPacingSlots());
    expect(sent).toHaveLength(360);
    expect(busiestWindow(sent)).toBe(90);
  });

  it('when each instance counts alone (no shared slots), then together they pass the budget (what the shared slots prevent)', async () => {
    const sent = await burst(undefined);
    expect(busiestWindow(sent)).toBeGreaterThan(100);
  });

  it('when jobs are admitted on several instances, then their held slots and other requests together stay within the budget', async () => {
    const { clock, pacers, runUntil } = instances(3, createMemoryPacingSlots());
    const admitted: number[] = [];
    let parked = 0;
    for (let round = 0; round < 40; round += 1) {
      for (const pacer of pacers) {
        const at = await pacer.admit('loc', 2);
        if (at <= clock.now()) admitted.push(clock.now(), clock.now());
        else parked += 1;
      }
      await runUntil(clock.now() + 250);
    }
    expect(busiestWindow(admitted, 10_000)).toBeLessThanOrEqual(90);
    expect(admitted.length).toBeGreaterThan(0);
    expect(parked).toBeGreaterThan(0);
  });

  it('when a job is refused by the shared window, then it is parked until the time the slots free up', async () => {
    const shared = createMemoryPacingSlots();
    const { clock, pacers } = instances(2, shared);
    clock.set(1_000);
    for (let i = 0; i < 45; i += 1) expect(await pacers[0].admit('loc', 2)).toBe(1_000);
    // The other instance has counted nothing itself, yet the window is full until the first slots expire.
    const at = await pacers[1].admit('loc', 2);
    expect(at).toBe(1_000 + 10_000 + 2_000);
  });

  it('when work that only asks whether it fits now (ifNow) is refused by the shared window, then nothing is promised to it', async () => {
    const shared = createMemoryPacingSlots();
    const { clock, pacers } = instances(2, shared);
    clock.set(1_000);
    for (let i = 0; i < 45; i += 1) await pacers[0].admit('loc', 2);
    expect(await pacers[1].admit('loc', 2, { ifNow: true })).toBe(13_000);
    // When the window turns, this instance's jobs use all of it: a promise to the refused work would have kept 2 slots.
    clock.set(13_000);
    const answers: number[] = [];
    for (let i = 0; i < 45; i += 1) answers.push(await pacers[1].admit('loc', 2));
    expect(answers).toEqual(Array(45).fill(13_000));
  });

  it('when one instance is answered 429, then the others hold their requests for the same time', async () => {
    const { clock, pacers, runUntil } = instances(2, createMemoryPacingSlots());
    pacers[0].penalize('loc', 10_000);
    await runUntil(0);
    let sentAt: number | null = null;
    void pacers[1].acquire('loc').then(() => { sentAt = clock.now(); });
    await runUntil(9_999);
    expect(sentAt).toBeNull();
    await runUntil(10_000);
    expect(sentAt).toBe(10_000);
  });
});
