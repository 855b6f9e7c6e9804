// A burst of missed calls for ONE location against a stand-in enforcing HighLevel's 100 requests / 10 s per location:
// how long until every caller is texted, and how many 429s the app provoked (goal 0). Each call costs two requests
// (the contact lookup for first name and DND, then the send), so the limit alone makes 1,000 calls take ≥ 200 s;
// the default run is smaller (BENCH_BURST_CALLS, default 150) and the full-size duration is projected from its pace.
import { rmSync } from 'node:fs';
import { pacedRequests } from '../support/load.js';
import { signEvent } from '../support/webhooks.js';
import { callerNumber, createWorld, startAppForWorld } from '../support/world.js';

export async function runBurst({ report, calls = Number(process.env.BENCH_BURST_CALLS ?? 150), fullSize = 1_000 }) {
  const world = await createWorld({ locations: 1 });
  const { app, keys } = await startAppForWorld(world);
  try {
    const [locationId] = world.locationIds;
    const bodies = Array.from({ length: calls }, (_, i) => signEvent(world.standIn.placeCall({ locationId, from: callerNumber(500_000 + i), status: 'no-answer' }).event, keys.privateKey));
    const requestsBefore = world.standIn.counters().requests;
    const startedAt = Date.now();
    const acks = await pacedRequests({
      url: app.url, rate: 2_000, durationSeconds: calls / 2_000,
      next: (i) => ({ path: '/webhooks/highlevel', body: bodies[i].body, headers: { 'content-type': 'application/json', 'x-ghl-signature': bodies[i].signature } }),
    });
    const deadline = startedAt + 60_000 + calls * 250;
    while (world.standIn.sentMessages({ locationId }).length < calls && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const texts = world.standIn.sentMessages({ locationId });
    const finishedAt = texts.length ? Math.max(...texts.map((text) => text.at)) : Date.now();
    const seconds = (finishedAt - startedAt) / 1000;
    const counters = world.standIn.counters();
    const requests = counters.requests - requestsBefore;
    report('burst size (calls, one location)', `${calls}${calls < fullSize ? ` (reduced from ${fullSize}; BENCH_BURST_CALLS=${fullSize} runs it in full)` : ''}`);
    report('burst webhooks acknowledged', `${acks.count} (${JSON.stringify(acks.statuses)})`);
    report('burst texts sent', `${texts.length} of ${calls}`);
    report('burst duration until the last text (s)', seconds.toFixed(1));
    report('burst 429s received from the stand-in', counters.rateLimited);
    report('burst HighLevel requests per call', (requests / calls).toFixed(2));
    report('burst pace (HighLevel requests/s; limit 10)', (requests / seconds).toFixed(2));
    if (calls < fullSize) report(`burst duration projected for ${fullSize} calls (s)`, ((fullSize * requests) / calls / (requests / seconds)).toFixed(0));
  } finally {
    await app.stop();
    await world.close();
    rmSync(world.dir, { recursive: true, force: true });
  }
}
