// Redelivery storm: every missed-call event delivered 20 times concurrently → every caller texted exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, FULL, inParallel, type World } from './support/world.js';

const CALLS = FULL ? 1000 : 150;
const COPIES = 20;
let world: World;

beforeAll(async () => { world = await createWorld({ locations: FULL ? 50 : 10 }); }, 60_000);
afterAll(async () => { await world?.close(); });

describe('redelivery storm', () => {
  it(`when ${CALLS} missed calls each arrive ${COPIES}× concurrently, then each caller gets exactly one text (0 duplicates, 0 lost)`, async () => {
    const bodies: string[] = [];
    for (let i = 0; i < CALLS; i++) {
      const locationId = world.locations[i % world.locations.length];
      const { event } = world.standIn.placeCall({ locationId, from: `+1212555${String(1000 + i).padStart(4, '0')}`, status: 'voicemail' });
      bodies.push(JSON.stringify(event));
    }
    const deliveries = bodies.flatMap((body) => Array.from({ length: COPIES }, () => body));
    const started = Date.now();
    const statuses: number[] = [];
    await inParallel(deliveries, 64, async (body) => { statuses.push(await world.post(body)); });
    const ingestMs = Date.now() - started;
    await world.settle(['highlevel-event', 'textback']);

    const sent = world.standIn.sentMessages();
    const perContact = new Map<string, number>();
    for (const message of sent) perContact.set(message.contactId, (perContact.get(message.contactId) ?? 0) + 1);
    const duplicates = [...perContact.values()].filter((n) => n > 1).length;
    console.log(`storm: ${deliveries.length} deliveries in ${ingestMs} ms (${Math.round(deliveries.length / (ingestMs / 1000))}/s), ${sent.length} texts, ${duplicates} duplicates, 429s from HighLevel: ${world.standIn.counters().rateLimited}`);

    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(duplicates).toBe(0);
    expect(perContact.size).toBe(CALLS);
    expect(world.app.db.prepare(`SELECT COUNT(*) FROM calls WHERE decision = 'texted'`).pluck().get()).toBe(CALLS);
  }, FULL ? 600_000 : 60_000);
});
