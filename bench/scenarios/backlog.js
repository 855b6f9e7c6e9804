// A backlog: 20,000 inbound messages (plain replies that need no HighLevel call) are queued when the app starts (as
// after an outage), spread over 10 locations; a missed call then arrives at one of them. Time to its text (goal
// < 2 s), and how fast the backlog itself is cleared. With `postgres` (backlog-postgres.js), the same on PostgreSQL,
// figures prefixed "postgres: ".
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DIST } from '../support/children.js';
import { waitForIdlePostgresQueue } from '../support/postgres.js';
import { waitForIdleQueue } from '../support/queue-watch.js';
import { signEvent } from '../support/webhooks.js';
import { callerNumber, createWorld, startAppForWorld } from '../support/world.js';

const { openDatabase } = await import(join(DIST, 'store', 'db.js'));
const { createJobQueue } = await import(join(DIST, 'store', 'job-queue.js'));
const { enqueueJobs } = await import(join(DIST, 'store', 'postgres', 'job-enqueue.js'));
const { webhookEventPriority } = await import(join(DIST, 'jobs', 'priorities.js'));

export async function runBacklog({ report: reportFigure, messages = 20_000, locations = 10, cpuProfileDir, postgres }) {
  const report = (name, value) => reportFigure(postgres ? `postgres: ${name}` : name, value);
  // Locations that tag no replies: each queued reply is handled without a HighLevel call.
  const world = await createWorld({ locations, settingsPatch: { replyTag: '' }, postgres });
  const now = Date.now();
  // Stored exactly as the intake stores a webhook.
  const jobs = Array.from({ length: messages }, (_, i) => {
    const locationId = world.locationIds[i % locations];
    const event = {
      type: 'InboundMessage', locationId, contactId: `backlog-contact-${i}`, conversationId: `backlog-conv-${i}`, messageId: `backlog-sms-${i}`,
      direction: 'inbound', messageType: 'SMS', body: `Thanks! See you on the ${i % 28 + 1}th`, from: callerNumber(i, '7500'), to: '+15125550100',
      dateAdded: new Date(now).toISOString(), timestamp: new Date(now).toISOString(), webhookId: `backlog-${i}`,
    };
    return { kind: 'highlevel-event', payload: event, runAt: now, locationId, subject: event.contactId, priority: webhookEventPriority(event), dedupeKey: `webhook:${event.webhookId}` };
  });
  if (postgres) {
    const pg = postgres.open();
    try {
      for (let i = 0; i < jobs.length; i += 1_000) await enqueueJobs(pg.pool, jobs.slice(i, i + 1_000), now, () => 20);
      await pg.pool.query('ANALYZE jobs');
    } finally {
      await pg.close();
    }
  } else {
    const db = openDatabase(world.databasePath);
    const queue = createJobQueue(db);
    db.transaction(() => { for (const job of jobs) queue.enqueue(job, now); })();
    db.close();
  }

  const { app, keys } = await startAppForWorld(world, { cpuProfileDir });
  try {
    const locationId = world.locationIds[0];
    const { event } = world.standIn.placeCall({ locationId, from: callerNumber(900_000), status: 'no-answer' });
    const signed = signEvent(event, keys.privateKey);
    const postedAt = Date.now();
    const res = await fetch(`${app.url}/webhooks/highlevel`, { method: 'POST', body: signed.body, headers: { 'content-type': 'application/json', 'x-ghl-signature': signed.signature } });
    const deadline = postedAt + 60_000;
    let textedAt = null;
    while (textedAt === null && Date.now() < deadline) {
      textedAt = world.standIn.sentMessages({ locationId }).find((message) => message.contactId === event.contactId)?.at ?? null;
      if (textedAt === null) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const cleared = postgres
      ? await waitForIdlePostgresQueue(postgres.url, { timeoutMs: 120_000, pollMs: 100 })
      : await waitForIdleQueue(world.databasePath, { timeoutMs: 120_000, pollMs: 100 });
    const clearedIn = (Date.now() - postedAt) / 1000;
    report('backlog: inbound messages queued at start', `${messages} over ${locations} locations`);
    report('backlog: missed call webhook answered', res.status);
    report('backlog: missed call → text behind the backlog (ms)', textedAt === null ? 'not within 60 s' : textedAt - postedAt);
    report('backlog: whole backlog cleared in (s)', cleared ? `${clearedIn.toFixed(1)} (${(messages / clearedIn).toFixed(0)} events/s)` : 'not within 120 s');
  } finally {
    await app.stop();
    await world.close();
    if (process.env.BENCH_KEEP) console.error('kept', world.dir); else rmSync(world.dir, { recursive: true, force: true });
  }
}
