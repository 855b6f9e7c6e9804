// `npm run bench`: every benchmark of docs/performance.md, one `name: value` line per figure, all on loopback.
// Ratios are against baselines measured in this same run (the machine is shared and noisy). The PostgreSQL scenarios
// run after SQLite's, each in a database of its own that it creates and drops (skipped when no server answers). Run
// one with `node bench/run.js <ingest|scheduler|http-client|end-to-end|burst|noisy-neighbour|backlog|ingest-postgres|
// scheduler-postgres|backlog-postgres|end-to-end-postgres>`. Environment:
// BENCH_PROFILE=<dir> writes the app's CPU profiles there; BENCH_VERBOSE=1 shows the app's stderr;
// BENCH_BURST_CALLS=1000 runs the burst at full size; BENCH_NOISY_BURST=<n> sizes the noisy neighbour's burst
// (default 1000); BENCH_DIST=<dir> benchmarks another build of dist/src (A/B comparisons: bench/ab.js); BENCH_DATABASE_URL=
// <postgres://…> is the server the PostgreSQL scenarios make their throwaway databases on (else TEST_DATABASE_URL,
// else 127.0.0.1:5432); BENCH_PG_INSTANCES=<n> runs end-to-end-postgres with n app processes (default 1);
// BENCH_PG_RATE=<calls/s> runs it at another rate (default 200, the goal's); BENCH_NODE_ARGS="<flags>" gives the app's
// node these flags too (e.g. --trace-opt, or --require of a statement counter while profiling).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DIST } from './support/children.js';
import { probeCores } from './support/machine.js';

if (!existsSync(join(DIST, 'main.js'))) {
  console.error('dist/ is missing: run `npm run bench` (it builds first) or `npm run build`.');
  process.exit(1);
}

const scenarios = {
  ingest: async (report) => (await import('./scenarios/ingest.js')).runIngest({ report, cpuProfileDir: process.env.BENCH_PROFILE }),
  scheduler: async (report) => (await import('./scenarios/scheduler.js')).runScheduler({ report }),
  'http-client': async (report) => (await import('./scenarios/http-client.js')).runHttpClient({ report }),
  'end-to-end': async (report) => (await import('./scenarios/end-to-end.js')).runEndToEnd({ report, cpuProfileDir: process.env.BENCH_PROFILE }),
  burst: async (report) => (await import('./scenarios/burst.js')).runBurst({ report }),
  'noisy-neighbour': async (report) => (await import('./scenarios/noisy-neighbour.js')).runNoisyNeighbour({ report }),
  backlog: async (report) => (await import('./scenarios/backlog.js')).runBacklog({ report, cpuProfileDir: process.env.BENCH_PROFILE }),
  'ingest-postgres': async (report) => (await import('./scenarios/ingest-postgres.js')).runIngestPostgres({ report, cpuProfileDir: process.env.BENCH_PROFILE }),
  'scheduler-postgres': async (report) => (await import('./scenarios/scheduler-postgres.js')).runSchedulerPostgres({ report }),
  'backlog-postgres': async (report) => (await import('./scenarios/backlog-postgres.js')).runBacklogPostgres({ report, cpuProfileDir: process.env.BENCH_PROFILE }),
  'end-to-end-postgres': async (report) => (await import('./scenarios/end-to-end-postgres.js')).runEndToEndPostgres({ report, cpuProfileDir: process.env.BENCH_PROFILE, ...(process.env.BENCH_PG_RATE ? { rate: Number(process.env.BENCH_PG_RATE) } : {}) }),
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in scenarios));
if (unknown.length) {
  console.error(`unknown scenario(s): ${unknown.join(', ')}; known: ${Object.keys(scenarios).join(', ')}`);
  process.exit(1);
}

const report = (name, value) => console.log(`${name}: ${value}`);
const startedAt = Date.now();
console.log(`# TextBack benchmarks — node ${process.version}, ${new Date().toISOString()}`);
for (const name of wanted.length ? wanted : Object.keys(scenarios)) {
  console.log(`# ${name}`);
  const at = Date.now();
  try {
    // Before each scenario: whether the machine gave it two cores (bench/support/machine.js).
    const cores = await probeCores();
    report('machine: one Ed25519 check, one process alone / two at once (µs; equal on two free cores)', `${cores.alone.toFixed(0)} / ${cores.together.toFixed(0)}`);
    await scenarios[name](report);
  } catch (error) {
    console.error(`benchmark "${name}" failed:`, error);
    process.exit(1);
  }
  console.log(`# ${name} took ${((Date.now() - at) / 1000).toFixed(0)} s`);
}
console.log(`# all benchmarks took ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
process.exit(0);
