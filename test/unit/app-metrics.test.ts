// The app's metrics through its prom-client registry: names, labels and buckets dashboards rely on, scrape-time job
// gauges, backup gauges absent until reported, process metrics, and one registry per composed app.
import { describe, expect, it } from 'vitest';
import { createAppMetrics } from '../../src/http/app-metrics.js';
import { createManualClock } from '../../src/lib/clock.js';
import type { JobStats } from '../../src/store/job-stats.js';

function build(initial: Partial<JobStats> = {}) {
  const figures: JobStats = { pending: 0, running: 0, failedRecently: 0, oldestOverdueMs: 0, ...initial };
  let reads = 0;
  const jobStats = { read: () => { reads += 1; return { ...figures }; }, failedWindowMs: 24 * 3_600_000 };
  const metrics = createAppMetrics({ jobStats, clock: createManualClock() });
  return { metrics, figures, reads: () => reads };
}
const lines = (text: string) => text.split('\n');

describe('app metrics', () => {
  it('when hooks fire, then each counts under its name with outcome and kind labels only', async () => {
    const { metrics } = build();
    metrics.onWebhookOutcome('stored');
    metrics.onWebhookOutcome('stored');
    metrics.onSignal({ type: 'call', decision: 'ignored:status-completed-by-some-new-value' });
    metrics.onSignal({ type: 'text', kind: 'followup', outcome: 'sent' });
    metrics.onSignal({ type: 'opt-out' });
    metrics.onTokenRefresh({ ownerId: 'loc-secret-id', ownerType: 'Location', result: 'refreshed' });
    metrics.onJobSettled({ kind: 'highlevel-event' }, 'done');
    const text = await metrics.render();
    expect(lines(text)).toEqual(expect.arrayContaining([
      '# HELP textback_webhooks_received_total HighLevel webhooks received, by how intake answered them.',
      '# TYPE textback_webhooks_received_total counter',
      'textback_webhooks_received_total{outcome="stored"} 2',
      'textback_calls_total{decision="ignored:status"} 1',
      'textback_texts_total{kind="followup",outcome="sent"} 1',
      'textback_followups_total{outcome="sent"} 1',
      'textback_opt_outs_total 1',
      'textback_opt_ins_total 0',
      'textback_token_refreshes_total{owner_type="Location",result="refreshed"} 1',
      'textback_jobs_settled_total{kind="highlevel-event",outcome="done"} 1',
    ]));
    expect(text).not.toContain('loc-secret-id');
  });

  it('when HighLevel answers, then latency lands in the seconds buckets by family and status class, and 429s are counted', async () => {
    const { metrics } = build();
    metrics.onHighLevelRequest({ family: 'contacts', status: 200, ms: 40, rateLimited: false });
    metrics.onHighLevelRequest({ family: 'contacts', status: 429, ms: 3000, rateLimited: true });
    metrics.onHighLevelRequest({ family: 'contacts', status: null, ms: 12, rateLimited: false });
    const text = await metrics.render();
    const buckets = lines(text).filter((l) => l.startsWith('textback_highlevel_request_duration_seconds_bucket') && l.includes('status="2xx"'));
    expect(buckets.map((l) => /le="([^"]+)"/.exec(l)![1])).toEqual(['0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '30', '+Inf']);
    expect(buckets.map((l) => Number(l.split(' ').at(-1)))).toEqual([0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(text).toMatch(/textback_highlevel_request_duration_seconds_count\{family="contacts",status="429"\} 1\n/);
    expect(text).toMatch(/textback_highlevel_request_duration_seconds_sum\{family="contacts",status="error"\} 0.012\n/);
    expect(text).toContain('textback_highlevel_rate_limited_total{family="contacts"} 1\n');
  });

  it('when scraped twice, then the job gauges are read from the queue at each scrape, once per scrape', async () => {
    const { metrics, figures, reads } = build({ pending: 3, oldestOverdueMs: 1500 });
    let text = await metrics.render();
    expect(text).toContain('textback_jobs{status="pending"} 3\n');
    expect(text).toContain('textback_jobs{status="running"} 0\n');
    expect(text).toContain('textback_jobs_overdue_seconds 1.5\n');
    expect(text).toContain('# HELP textback_jobs_failed_recent Jobs that failed for good in the last 24 hours.');
    expect(reads()).toBe(1);
    Object.assign(figures, { pending: 7, failedRecently: 2 });
    text = await metrics.render();
    expect(text).toContain('textback_jobs{status="pending"} 7\n');
    expect(text).toContain('textback_jobs_failed_recent 2\n');
    expect(reads()).toBe(2);
  });

  it('when no backup has been reported, then the last-success and duration gauges are absent and failures read 0', async () => {
    const { metrics } = build();
    let text = await metrics.render();
    expect(text).not.toMatch(/^textback_backup_last_(success_timestamp|duration)_seconds /m);
    expect(text).toContain('\ntextback_backup_failures_total 0\n');
    metrics.onBackup({ ok: true, at: 1_700_000_000_000, durationMs: 2500, bytes: 1, path: '/b' });
    metrics.onBackup({ ok: false, at: 1_700_000_100_000, durationMs: 500, error: 'disk full' });
    text = await metrics.render();
    expect(text).toContain('\ntextback_backup_last_success_timestamp_seconds 1700000000\n');
    expect(text).toContain('\ntextback_backup_last_duration_seconds 0.5\n');
    expect(text).toContain('\ntextback_backup_failures_total 1\n');
  });

  it('when two apps are composed in one process, then each has its own figures and both expose process metrics', async () => {
    const first = build();
    const second = build();
    first.metrics.onSignal({ type: 'opt-in' });
    const [a, b] = [await first.metrics.render(), await second.metrics.render()];
    expect(a).toContain('\ntextback_opt_ins_total 1\n');
    expect(b).toContain('\ntextback_opt_ins_total 0\n');
    for (const text of [a, b]) expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(first.metrics.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });
});
