// Load generation: autocannon for maximum throughput, and an open-loop paced sender for latency at a fixed rate.
import autocannon from 'autocannon';
import { Agent, request } from 'node:http';

/**
 * Drives `url` with autocannon as hard as `connections` keep-alive connections allow, each request a POST of the
 * next body of `pool` (starting at `cursor.next`, advancing it), so every request carries a distinct signed webhook.
 */
export async function maxThroughput({ url, pool, cursor = { next: 0 }, durationSeconds, connections = 64 }) {
  const first = cursor.next;
  const result = await autocannon({
    url,
    connections,
    duration: durationSeconds,
    requests: [{
      method: 'POST',
      setupRequest(req) {
        const item = pool[cursor.next % pool.length];
        cursor.next += 1;
        req.body = item.body;
        req.headers = { 'content-type': 'application/json', 'x-ghl-signature': item.signature };
        return req;
      },
    }],
  });
  const used = cursor.next - first;
  return {
    rps: result.requests.average,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
    reusedBodies: Math.max(0, cursor.next - pool.length),
    used,
  };
}

/**
 * Open loop: request i is due at start + i/rate whatever happened to earlier ones, and its latency is counted from
 * that due time (so a stalled server cannot hide its queueing, i.e. no coordinated omission). autocannon's own rate
 * limit sends each second's quota in one burst, which is why latency at a fixed rate is measured here instead.
 * `next(i)` returns { path, body, headers } for request i; `onResponse(i, status, ms)` is optional. `urls` (instead of
 * `url`) spreads the requests round-robin over several servers (request i goes to urls[i % urls.length]).
 */
export async function pacedRequests({ url, urls = [url], rate, durationSeconds, next, onResponse, maxSockets = 256 }) {
  const targets = urls.map((each) => ({ target: new URL(each), agent: new Agent({ keepAlive: true, maxSockets }) }));
  const total = Math.round(rate * durationSeconds);
  const latencies = [];
  const statuses = new Map();
  let errors = 0;
  const start = performance.now() + 20;
  const inFlight = new Set();

  await new Promise((resolve) => {
    let i = 0;
    const pump = () => {
      const now = performance.now();
      while (i < total && start + (i * 1000) / rate <= now) send(i++);
      if (i < total) setTimeout(pump, Math.max(0, start + (i * 1000) / rate - performance.now()));
      else resolve();
    };
    setTimeout(pump, 20);
  });
  await Promise.all(inFlight);
  for (const { agent } of targets) agent.destroy();

  function send(index) {
    const due = start + (index * 1000) / rate;
    const { path, body, headers } = next(index);
    const { target, agent } = targets[index % targets.length];
    const done = new Promise((resolve) => {
      const req = request({ host: target.hostname, port: target.port, method: 'POST', path, agent, headers: { ...headers, 'content-length': body.length } }, (res) => {
        res.resume();
        res.on('end', () => {
          const ms = performance.now() - due;
          latencies.push(ms);
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          onResponse?.(index, res.statusCode, ms);
          resolve();
        });
      });
      req.on('error', () => { errors += 1; resolve(); });
      req.end(body);
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  }

  latencies.sort((a, b) => a - b);
  return { count: latencies.length, errors, statuses: Object.fromEntries(statuses), p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), max: latencies.at(-1) ?? NaN };
}

/** The p-quantile (0..1) of an ascending array, nearest rank. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
