// groupStatements: calls made while a write is in flight share the next write; each caller gets its own result.
import { describe, expect, it } from 'vitest';
import { groupStatements } from '../../src/store/postgres/grouped-statement.js';

/** A write whose every call waits until the test lets it finish, recording the batches it was given. */
function gatedWrite() {
  const batches: number[][] = [];
  const gates: (() => void)[] = [];
  const write = async (items: number[]) => {
    batches.push(items);
    await new Promise<void>((resolve) => gates.push(resolve));
    if (items.includes(-1)) throw new Error('refused');
    return items.map((n) => n * 10);
  };
  const openNext = async () => {
    while (gates.length === 0) await new Promise((resolve) => setImmediate(resolve));
    gates.shift()!();
  };
  return { batches, write, openNext };
}

describe('groupStatements', () => {
  it('when calls arrive in one turn, then one write carries them all, each caller getting its own result', async () => {
    const gated = gatedWrite();
    const submit = groupStatements(gated.write);
    const results = Promise.all([submit(1), submit(2), submit(3)]);
    await gated.openNext();
    expect(await results).toEqual([10, 20, 30]);
    expect(gated.batches).toEqual([[1, 2, 3]]);
  });

  it('when calls arrive while a write is in flight, then the next write carries them together', async () => {
    const gated = gatedWrite();
    const submit = groupStatements(gated.write);
    const first = submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [submit(2), submit(3), submit(4)];
    await gated.openNext();
    expect(await first).toBe(10);
    await gated.openNext();
    expect(await Promise.all(later)).toEqual([20, 30, 40]);
    expect(gated.batches).toEqual([[1], [2, 3, 4]]);
  });

  it('when a write fails, then every caller it carried is rejected and the next batch is written on its own', async () => {
    const gated = gatedWrite();
    const submit = groupStatements(gated.write);
    const failing = [submit(5), submit(-1)].map((p) => p.then(() => 'ok', (error: Error) => error.message));
    await gated.openNext();
    expect(await Promise.all(failing)).toEqual(['refused', 'refused']);
    const next = submit(7);
    await gated.openNext();
    expect(await next).toBe(70);
    await submit.idle();
    expect(gated.batches).toEqual([[5, -1], [7]]);
  });
});
