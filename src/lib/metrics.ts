// A small Prometheus metrics registry (counters, gauges, histograms with labels) rendered in text format 0.0.4.
// Label values must come from small fixed sets (outcomes, kinds): never ids, phone numbers or free text.

export type Labels = Record<string, string>;

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export interface Counter { inc(labels?: Labels, by?: number): void }
export interface Gauge { set(labels: Labels, value: number): void }
export interface Histogram { observe(labels: Labels, value: number): void }

interface Definition { name: string; help: string; labelNames: readonly string[] }
type Sample = { suffix: string; labels: [string, string][]; value: number };
interface Metric { type: 'counter' | 'gauge' | 'histogram'; definition: Definition; samples(): Sample[] }

/** Seconds-scale buckets for request latencies. */
export const LATENCY_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export type MetricsRegistry = ReturnType<typeof createMetricsRegistry>;

export function createMetricsRegistry() {
  const metrics = new Map<string, Metric>();

  function register(metric: Metric): void {
    const { name, labelNames } = metric.definition;
    if (!METRIC_NAME.test(name)) throw new Error(`invalid metric name "${name}"`);
    if (metrics.has(name)) throw new Error(`metric "${name}" is already registered`);
    for (const label of labelNames) {
      if (!LABEL_NAME.test(label) || label.startsWith('__') || label === 'le') throw new Error(`invalid label name "${label}" on ${name}`);
    }
    metrics.set(name, metric);
  }

  /** The label values in declaration order; an unknown label name is a programming error. */
  function valuesOf(definition: Definition, labels: Labels = {}): string[] {
    for (const key of Object.keys(labels)) {
      if (!definition.labelNames.includes(key)) throw new Error(`metric ${definition.name} has no label "${key}"`);
    }
    return definition.labelNames.map((label) => labels[label] ?? '');
  }
  const pairs = (definition: Definition, values: string[]): [string, string][] =>
    definition.labelNames.map((label, i) => [label, values[i]]);

  function series<T>(definition: Definition, create: () => T) {
    const byKey = new Map<string, { values: string[]; state: T }>();
    return {
      get(labels: Labels | undefined): T {
        const values = valuesOf(definition, labels);
        const key = JSON.stringify(values);
        let entry = byKey.get(key);
        if (!entry) byKey.set(key, (entry = { values, state: create() }));
        return entry.state;
      },
      entries: () => [...byKey.values()],
    };
  }

  return {
    counter(definition: Definition): Counter {
      const values = series(definition, () => ({ value: 0 }));
      register({ type: 'counter', definition, samples: () => values.entries().map((e) => ({ suffix: '', labels: pairs(definition, e.values), value: e.state.value })) });
      return {
        inc(labels, by = 1) {
          if (!(by >= 0)) throw new Error(`counter ${definition.name} can only increase`);
          values.get(labels).value += by;
        },
      };
    },

    /** A gauge set by the app, or read at scrape time through `collect` (e.g. counts from the database). */
    gauge(definition: Definition & { collect?: () => { labels: Labels; value: number }[] }): Gauge {
      const values = series(definition, () => ({ value: 0 }));
      register({
        type: 'gauge', definition,
        samples: () => {
          if (definition.collect) for (const { labels, value } of definition.collect()) values.get(labels).value = value;
          return values.entries().map((e) => ({ suffix: '', labels: pairs(definition, e.values), value: e.state.value }));
        },
      });
      return { set(labels, value) { values.get(labels).value = value; } };
    },

    histogram(definition: Definition & { buckets: readonly number[] }): Histogram {
      const bounds = [...definition.buckets].sort((a, b) => a - b);
      const values = series(definition, () => ({ counts: bounds.map(() => 0), sum: 0, count: 0 }));
      register({
        type: 'histogram', definition,
        samples: () => values.entries().flatMap(({ values: labelValues, state }) => {
          const labels = pairs(definition, labelValues);
          return [
            ...bounds.map((bound, i) => ({ suffix: '_bucket', labels: [...labels, ['le', formatNumber(bound)]] as [string, string][], value: state.counts[i] })),
            { suffix: '_bucket', labels: [...labels, ['le', '+Inf']], value: state.count },
            { suffix: '_sum', labels, value: state.sum },
            { suffix: '_count', labels, value: state.count },
          ];
        }),
      });
      return {
        observe(labels, value) {
          const state = values.get(labels);
          // Buckets are cumulative: an observation counts in every bucket whose bound it does not exceed.
          bounds.forEach((bound, i) => { if (value <= bound) state.counts[i] += 1; });
          state.sum += value;
          state.count += 1;
        },
      };
    },

    /** Every metric in Prometheus text exposition format, ending with a newline. */
    render(): string {
      const lines: string[] = [];
      for (const metric of metrics.values()) {
        const { name, help } = metric.definition;
        lines.push(`# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${name} ${metric.type}`);
        for (const sample of metric.samples()) {
          const labels = sample.labels.length ? `{${sample.labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}` : '';
          lines.push(`${name}${sample.suffix}${labels} ${formatNumber(sample.value)}`);
        }
      }
      return lines.join('\n') + '\n';
    },
  };
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
