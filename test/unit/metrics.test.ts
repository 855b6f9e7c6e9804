// The Prometheus registry: text exposition format, label handling, cumulative histogram buckets, scrape-time gauges.
import { describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '../../src/lib/metrics.js';

describe('metrics registry', () => {
  it('when counters are incremented per label set, then each set is one sample under HELP and TYPE lines', () => {
    const registry = createMetricsRegistry();
    const counter = registry.counter({ name: 'app_events_total', help: 'Events seen.', labelNames: ['outcome'] });
    counter.inc({ outcome: 'stored' });
    counter.inc({ outcome: 'stored' }, 2);
    counter.inc({ outcome: 'stale' });
    expect(registry.render()).toBe([
      '# HELP app_events_total Events seen.',
      '# TYPE app_events_total counter',
      'app_events_total{outcome="stored"} 3',
      'app_events_total{outcome="stale"} 1',
      '',
    ].join('\n'));
  });

  it('when a label value holds quotes, backslashes or line breaks, then they are escaped', () => {
    const registry = createMetricsRegistry();
    registry.counter({ name: 'x_total', help: 'Help with \\ and\nnewline.', labelNames: ['v'] }).inc({ v: 'a"b\\c\nd' });
    const text = registry.render();
    expect(text).toContain('# HELP x_total Help with \\\\ and\\nnewline.');
    expect(text).toContain('x_total{v="a\\"b\\\\c\\nd"} 1');
  });

  it('when a histogram observes values, then buckets are cumulative, +Inf equals the count, and sum adds up', () => {
    const registry = createMetricsRegistry();
    const histogram = registry.histogram({ name: 'latency_seconds', help: 'Latency.', labelNames: ['family'], buckets: [0.1, 1, 0.5] });
    for (const value of [0.05, 0.3, 0.7, 2]) histogram.observe({ family: 'contacts' }, value);
    const lines = registry.render().split('\n');
    expect(lines).toEqual(expect.arrayContaining([
      '# TYPE latency_seconds histogram',
      'latency_seconds_bucket{family="contacts",le="0.1"} 1',
      'latency_seconds_bucket{family="contacts",le="0.5"} 2',
      'latency_seconds_bucket{family="contacts",le="1"} 3',
      'latency_seconds_bucket{family="contacts",le="+Inf"} 4',
      'latency_seconds_sum{family="contacts"} 3.05',
      'latency_seconds_count{family="contacts"} 4',
    ]));
    expect(lines.indexOf('latency_seconds_bucket{family="contacts",le="0.1"} 1')).toBeLessThan(lines.indexOf('latency_seconds_bucket{family="contacts",le="0.5"} 2'));
  });

  it('when a gauge has a collector, then it is read at every render', () => {
    const registry = createMetricsRegistry();
    let pending = 3;
    registry.gauge({ name: 'jobs', help: 'Jobs.', labelNames: ['status'], collect: () => [{ labels: { status: 'pending' }, value: pending }] });
    expect(registry.render()).toContain('jobs{status="pending"} 3');
    pending = 7;
    expect(registry.render()).toContain('jobs{status="pending"} 7');
  });

  it('when a metric without labels is used, then its sample has no braces', () => {
    const registry = createMetricsRegistry();
    registry.counter({ name: 'opt_outs_total', help: 'Opt-outs.', labelNames: [] }).inc();
    registry.gauge({ name: 'overdue_seconds', help: 'Overdue.', labelNames: [] }).set({}, 1.5);
    expect(registry.render()).toContain('\nopt_outs_total 1\n');
    expect(registry.render()).toContain('\noverdue_seconds 1.5\n');
  });

  it('when a name or label is invalid, registered twice, unknown, or a counter goes down, then it throws', () => {
    const registry = createMetricsRegistry();
    expect(() => registry.counter({ name: 'bad-name', help: '', labelNames: [] })).toThrow(/invalid metric name/);
    expect(() => registry.counter({ name: 'ok_total', help: '', labelNames: ['le'] })).toThrow(/invalid label name/);
    const counter = registry.counter({ name: 'ok_total', help: '', labelNames: ['a'] });
    expect(() => registry.counter({ name: 'ok_total', help: '', labelNames: [] })).toThrow(/already registered/);
    expect(() => counter.inc({ b: 'x' })).toThrow(/no label "b"/);
    expect(() => counter.inc({ a: 'x' }, -1)).toThrow(/only increase/);
  });
});
