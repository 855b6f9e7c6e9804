// Redelivery storm: every missed-call webhook delivered 20 times at once while the worker runs → one text per call.
import { afterEach, describe, expect, it } from 'vitest';
import { createWorld, FULL, inParallel, type World } from './support/world.js';

const CALLS = FULL ? 1_000 : 100;
const DELIVERIES = 20;
let world: World | undefined;
afterEach(async () => { await world?.close(); world = undefined; });

describe('redelivery storm', () => {
  it(`when each of ${CALLS} missed calls is delivered ${DELIVERIES}× concurrently, then each caller gets exactly one text and none is lost`, async () => {
    // Ten calls per location: well inside HighLevel's 100 requests / 10 s, which the stand-in enforces.
    world = await createWorld({ locations: CALLS / 10 });
    const w = world;
    w.app.start();
    const bodies = Array.from({ length: CALLS }, (_, i) => {
      const locationId = w.locations[i % w.locations.length];
      return JSON.stringify(w.standIn.placeCall({ locationId, from: `+1212556${String(1000 + i).padStart(4, '0')}`, status: 'no-answer' }).event);
    });
    // Every delivery of every call, shuffled, 64 in flight: the same event arrives concurrently and while it is handled.
    const deliveries = bodies.flatMap((body) => Array.from({ length: DELIVERIES }, () => body));
    for (let i = deliveries.length - 1; i > 0; i -= 1) {
      const j = Math.floor(Math.random() * (i + 1));
      [deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]];
    }
    const statuses = new Map<number, number>();
    await inParallel(deliveries, 64, async (body) => {
      const status = await w.post(body);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
    await w.settle(['highlevel-event', 'textback']);

    const perContact = new Map<string, number>();
    for (const message of w.standIn.sentMessages()) perContact.set(message.contactId, (perContact.get(message.contactId) ?? 0) + 1);
    const db = w.app.db;
    const stored = db.prepare(`SELECT COUNT(*) FROM jobs WHERE kind = 'highlevel-event'`).pluck().get();
    console.log(`storm: ${deliveries.length} deliveries (${JSON.stringify(Object.fromEntries(statuses))}) of ${CALLS} calls → ${stored} events stored, ${w.standIn.sentMessages().length} texts`);

    expect([...statuses.keys()]).toEqual([200]);
    expect(stored).toBe(CALLS);
    expect([...perContact.values()].filter((n) => n > 1)).toEqual([]);
    expect(perContact.size).toBe(CALLS);
    // One ledger row per call, none failed or left sending. Which of the settled states each row is in depends on the
    // machine, not the app: on a starved machine (all of this shares one process) a send whose answer takes longer
    // than the HighLevel client's 15 s is recorded unknown and never resent (the stand-in above got it once), and a
    // delivery check that came due while the app's sleeps moved the manual clock on has marked its text delivered.
    const ledger = db.prepare(`SELECT status, COUNT(*) AS n FROM messages WHERE kind = 'textback' GROUP BY status`).all() as { status: string; n: number }[];
    expect(ledger.reduce((sum, row) => sum + row.n, 0)).toBe(CALLS);
    expect(ledger.map((row) => row.status).filter((status) => !['sent', 'delivered', 'unknown'].includes(status))).toEqual([]);
    // Each call decided once: texted, or (the send recorded unknown above) unknown:provider-timeout, as many as those.
    const decisions = db.prepare(`SELECT decision, COUNT(*) AS n FROM calls GROUP BY decision`).all() as { decision: string; n: number }[];
    expect(decisions.reduce((sum, row) => sum + row.n, 0)).toBe(CALLS);
    expect(decisions.map((row) => row.decision).filter((decision) => decision !== 'texted' && decision !== 'unknown:provider-timeout')).toEqual([]);
    expect(decisions.find((row) => row.decision === 'unknown:provider-timeout')?.n ?? 0).toBe(ledger.find((row) => row.status === 'unknown')?.n ?? 0);
  }, FULL ? 300_000 : 60_000);
});
