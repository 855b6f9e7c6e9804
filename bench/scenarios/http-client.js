// The HighLevel client's HTTP layer alone: CPU per request of axios on its own `http` adapter (the baseline, what
// every HighLevel request used before) against axios on the app's lean adapter (src/highlevel/http-adapter.ts), both
// sending the text-back's POST to a JSON server in another process, 20 requests in flight, rounds alternating.
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { join } from 'node:path';
import axios from 'axios';
import { DIST } from '../support/children.js';

const { createHighLevelHttp } = await import(join(DIST, 'highlevel', 'http-adapter.js'));

export async function runHttpClient({ report, requests = 6_000, inFlight = 20, rounds = 3 }) {
  const server = fork(new URL(import.meta.url).pathname, ['serve']);
  try {
    const port = await new Promise((resolve, reject) => { server.once('message', resolve); server.once('error', reject); });
    const url = `http://127.0.0.1:${port}/conversations/messages`;
    const config = {
      method: 'POST', url, timeout: 15_000, maxRedirects: 0, validateStatus: () => true,
      data: { type: 'SMS', contactId: 'contact-1', message: 'Hi, this is Acme Plumbing, sorry we missed your call. How can we help?' },
      headers: { Authorization: 'Bearer a.b.c', Version: '2021-04-15', Accept: 'application/json' },
    };
    const clients = { baseline: axios.create(), lean: createHighLevelHttp() };
    const cpu = { baseline: [], lean: [] };
    for (let round = 0; round <= rounds; round += 1) {
      for (const name of ['baseline', 'lean']) {
        const micros = await cpuPerRequest(() => clients[name].request(config), round === 0 ? 1_000 : requests, inFlight);
        if (round > 0) cpu[name].push(micros); // round 0 warms both up
      }
    }
    const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    report('HighLevel request CPU, axios\'s own adapter (µs, median of rounds)', median(cpu.baseline).toFixed(0));
    report('HighLevel request CPU, lean adapter (µs, median of rounds)', median(cpu.lean).toFixed(0));
    report('HighLevel request CPU ratio (lean / axios\'s adapter)', (median(cpu.lean) / median(cpu.baseline)).toFixed(2));
  } finally {
    server.kill();
  }
}

async function cpuPerRequest(send, count, inFlight) {
  let started = 0;
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (started < count) {
      started += 1;
      const response = await send();
      if (response.status !== 201) throw new Error(`the server answered ${response.status}`);
    }
  }));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / count;
}

if (process.argv[2] === 'serve') {
  const body = JSON.stringify({ conversationId: 'conv-1', messageId: 'msg-1', traceId: 'trace-1' });
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-ratelimit-remaining': '99' });
      res.end(body);
    });
  });
  server.listen(0, '127.0.0.1', () => process.send(server.address().port));
}
