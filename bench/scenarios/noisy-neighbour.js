// No noisy neighbours: one location gets a burst of missed calls (default 1,000) that HighLevel's 100 requests / 10 s
// lets drain over minutes; meanwhile 50 other locations get missed calls of their own. Their callers' missed call →
// send p50/p99 is the figure (goal p99 < 1 s), with the 429s the stand-in answered (goal 0) and the burst's pace.
import { rmSync } from 'node:fs';
import { pacedRequests, percentile } from '../support/load.js';
import { signEvent } from '../support/webhooks.js';
import { callerNumber, createWorld, startAppForWorld } from '../support/world.js';

export async function runNoisyNeighbour({ report, burst = Number(process.env.BENCH_NOISY_BURST ?? 1_000), others = 50, perOther = 2, seconds = 20 }) {
  const world = await createWorld({ locations: others + 1 });
  const { app, keys } = await startAppForWorld(world);
  try {
    const [busy, ...quiet] = world.locationIds;
    const post = (signed) => ({ path: '/webhooks/highlevel', body: signed.body, headers: { 'content-type': 'application/json', 'x-ghl-signature': signed.signature } });
    const burstBodies = Array.from({ length: burst }, (_, i) => signEvent(world.standIn.placeCall({ locationId: busy, from: callerNumber(600_000 + i), status: 'no-answer' }).event, keys.privateKey));
    const calls = Array.from({ length: others * perOther }, (_, i) => {
      const { event } = world.standIn.placeCall({ locationId: quiet[i % others], from: callerNumber(700_000 + i), status: 'no-answer' });
      return { contactId: event.contactId, ...signEvent(event, keys.privateKey) };
    });
    const startedAt = Date.now();
    const burstAcks = await pacedRequests({ url: app.url, rate: 2_000, durationSeconds: burst / 2_000, next: (i) => post(burstBodies[i]) });
    // The other locations' callers, spread over the next `seconds` while the burst drains.
    const sentAt = new Map();
    const acks = await pacedRequests({
      url: app.url, rate: calls.length / seconds, durationSeconds: seconds,
      next(i) { sentAt.set(calls[i].contactId, Date.now()); return post(calls[i]); },
    });
    const deadline = Date.now() + 30_000;
    const quietSet = new Set(quiet);
    const quietTexts = () => world.standIn.sentMessages().filter((message) => quietSet.has(message.locationId));
    while (quietTexts().length < calls.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const firstText = new Map();
    for (const message of quietTexts()) if (!firstText.has(message.contactId)) firstText.set(message.contactId, message.at);
    const latencies = [...firstText].filter(([contactId]) => sentAt.has(contactId)).map(([contactId, at]) => at - sentAt.get(contactId)).sort((a, b) => a - b);
    const elapsed = (Date.now() - startedAt) / 1000;
    const burstTexts = world.standIn.sentMessages({ locationId: busy }).length;
    report('noisy neighbour: burst at one location (calls)', `${burst} (${JSON.stringify(burstAcks.statuses)})`);
    report('noisy neighbour: other locations\' calls', `${calls.length} over ${others} locations in ${seconds} s (${JSON.stringify(acks.statuses)})`);
    report('noisy neighbour: other locations texted', `${latencies.length} of ${calls.length}`);
    report('noisy neighbour: other locations\' missed call → send p50 (ms)', percentile(latencies, 0.5));
    report('noisy neighbour: other locations\' missed call → send p99 (ms)', percentile(latencies, 0.99));
    report('noisy neighbour: 429s from the stand-in', world.standIn.counters().rateLimited);
    report(`noisy neighbour: burst texts sent in the first ${elapsed.toFixed(0)} s (pace limit ≈ 4.5/s)`, `${burstTexts} (${(burstTexts / elapsed).toFixed(2)}/s)`);
  } finally {
    await app.stop();
    await world.close();
    rmSync(world.dir, { recursive: true, force: true });
  }
}
