// The HighLevel client's HTTP adapter against a real local server: the exchange axios's own adapter would make (method,
// query, headers, JSON both ways), kept-alive connections, and axios's errors for timeouts, refusals and statuses.
import axios, { AxiosError, type AxiosInstance } from 'axios';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHighLevelHttp, createLeanAdapter, MAX_RESPONSE_BYTES } from '../../src/highlevel/http-adapter.js';

interface Seen { method: string; url: string; headers: IncomingMessage['headers']; body: string; socket: unknown }

let server: Server | undefined;

async function serve(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; seen: Seen[]; connections: () => number }> {
  const seen: Seen[] = [];
  let connections = 0;
  server = createServer({ keepAliveTimeout: 10_000 }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString(), socket: req.socket });
      answer(req, res);
    });
  });
  server.on('connection', () => { connections += 1; });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, connections: () => connections };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => (_req: IncomingMessage, res: ServerResponse) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
};

const client = (viaProxy = false): AxiosInstance => axios.create({ adapter: createLeanAdapter({ viaProxy }) });
const request = { maxRedirects: 0, timeout: 5_000 } as const;

afterEach(async () => {
  vi.unstubAllEnvs();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('the exchange', () => {
  it('when a JSON POST with a query is made, then the server gets its method, path, query, headers and body, and the answer is parsed', async () => {
    const { url, seen } = await serve(json(201, { messageId: 'm-1', traceId: 't-1' }, { 'x-ratelimit-remaining': '99' }));
    const response = await client().request({
      ...request, method: 'POST', url: `${url}/conversations/messages`, params: { locationId: 'loc A', skip: undefined, limit: 5 },
      data: { type: 'SMS', message: 'Hi — é' }, headers: { Authorization: 'Bearer tok', Version: '2021-04-15', Accept: 'application/json' },
    });
    expect(response.status).toBe(201);
    expect(response.data).toEqual({ messageId: 'm-1', traceId: 't-1' });
    expect(response.headers['x-ratelimit-remaining']).toBe('99');
    expect(seen).toHaveLength(1);
    const [got] = seen;
    expect(got.method).toBe('POST');
    const target = new URL(got.url, url);
    expect(target.pathname).toBe('/conversations/messages');
    expect(Object.fromEntries(target.searchParams)).toEqual({ locationId: 'loc A', limit: '5' });
    expect(got.headers.authorization).toBe('Bearer tok');
    expect(got.headers.version).toBe('2021-04-15');
    expect(got.headers['content-type']).toMatch(/^application\/json/);
    expect(got.headers['content-length']).toBe(String(Buffer.byteLength(got.body)));
    expect(got.headers['transfer-encoding']).toBeUndefined();
    expect(JSON.parse(got.body)).toEqual({ type: 'SMS', message: 'Hi — é' });
  });

  it('when requests follow one another, then they share one kept-alive connection', async () => {
    const { url, connections } = await serve(json(200, { ok: true }));
    const http = client();
    for (let i = 0; i < 5; i += 1) expect((await http.request({ ...request, url: `${url}/contacts/c-${i}` })).data).toEqual({ ok: true });
    expect(connections()).toBe(1);
  });

  it('when the answer is not JSON, then its text is the data', async () => {
    const { url } = await serve((_req, res) => { res.writeHead(502, { 'content-type': 'text/html' }); res.end('<h1>Bad gateway</h1>'); });
    const response = await client().request({ ...request, url, validateStatus: () => true });
    expect(response.status).toBe(502);
    expect(response.data).toBe('<h1>Bad gateway</h1>');
  });
});

describe('errors, as axios reports them', () => {
  it('when the status fails validateStatus, then an AxiosError carries the parsed response', async () => {
    const { url } = await serve(json(422, { message: ['phone is invalid'] }));
    const error = await client().request({ ...request, url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AxiosError);
    expect((error as AxiosError).code).toBe(AxiosError.ERR_BAD_REQUEST);
    expect((error as AxiosError).response?.status).toBe(422);
    expect((error as AxiosError).response?.data).toEqual({ message: ['phone is invalid'] });
  });

  it('when nothing listens, then the error says ECONNREFUSED (certainly not sent)', async () => {
    const { url } = await serve(json(200, {}));
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const error = await client().request({ ...request, url }).catch((e: unknown) => e);
    expect(axios.isAxiosError(error)).toBe(true);
    expect((error as AxiosError).code).toBe('ECONNREFUSED');
  });

  it('when the server does not answer in time, then the request is aborted with ECONNABORTED', async () => {
    const { url } = await serve(() => { /* never answers */ });
    const error = await client().request({ ...request, url, timeout: 30 }).catch((e: unknown) => e);
    expect(axios.isAxiosError(error)).toBe(true);
    expect((error as AxiosError).code).toBe('ECONNABORTED');
    expect((error as AxiosError).message).toBe('timeout of 30ms exceeded');
  });

  it('when the answer is larger than the cap, then it is refused instead of buffered', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 'a');
      let sent = 0;
      const more = () => { while (sent <= MAX_RESPONSE_BYTES && res.write(chunk)) sent += chunk.length; if (sent <= MAX_RESPONSE_BYTES) res.once('drain', more); else res.end(); };
      more();
    });
    const error = await client().request({ ...request, url }).catch((e: unknown) => e);
    expect(axios.isAxiosError(error)).toBe(true);
    expect((error as AxiosError).message).toMatch(/larger than/);
  });
});

describe('what it leaves to axios\'s own adapter', () => {
  it('when a proxy is configured, then requests go through it as axios would send them', async () => {
    // The local server plays the proxy: a proxied request names the whole target URL in its request line.
    const { url: proxy, seen } = await serve(json(200, { via: 'proxy' }));
    for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy']) vi.stubEnv(name, '');
    vi.stubEnv('HTTP_PROXY', proxy);
    const response = await client(true).request({ ...request, url: 'http://hl.example/contacts/c-1' });
    expect(response.data).toEqual({ via: 'proxy' });
    expect(seen[0].url).toBe('http://hl.example/contacts/c-1');
  });

  it('when redirects are allowed, then axios\'s adapter follows them', async () => {
    const { url, seen } = await serve((req, res) => {
      if (req.url === '/old') { res.writeHead(301, { location: '/new' }); res.end(); } else json(200, { at: req.url })(req, res);
    });
    const response = await client().request({ timeout: 5_000, url: `${url}/old` });
    expect(response.data).toEqual({ at: '/new' });
    expect(seen.map((s) => s.url)).toEqual(['/old', '/new']);
  });
});

describe('the HighLevel client (createHighLevelHttp: axios without its global defaults)', () => {
  // What each request sends and gets back, through axios.create() on the same adapter and through the lean client.
  const exchanges: { name: string; config: (url: string) => Record<string, unknown>; answer: (req: IncomingMessage, res: ServerResponse) => void }[] = [
    {
      name: 'a JSON POST with a query and headers, answered with JSON',
      config: (url) => ({ method: 'POST', url: `${url}/conversations/messages`, params: { locationId: 'loc A', limit: 5 }, data: { type: 'SMS', message: 'Hi — é' }, headers: { Authorization: 'Bearer tok', Version: '2021-04-15', Accept: 'application/json' } }),
      answer: json(201, { messageId: 'm-1' }),
    },
    {
      name: 'a PUT of a body already a string, with its own content type',
      config: (url) => ({ method: 'PUT', url: `${url}/contacts/c-1`, data: 'name=A', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }),
      answer: json(200, { ok: true }),
    },
    {
      name: 'a GET answered with HTML',
      config: (url) => ({ url: `${url}/x`, validateStatus: () => true }),
      answer: (_req, res) => { res.writeHead(502, { 'content-type': 'text/html' }); res.end('<h1>Bad gateway</h1>'); },
    },
    {
      name: 'a GET answered with nothing',
      config: (url) => ({ url: `${url}/x` }),
      answer: (_req, res) => { res.writeHead(204); res.end(); },
    },
    {
      name: 'a GET answered with broken JSON',
      config: (url) => ({ url: `${url}/x`, validateStatus: () => true }),
      answer: (_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"a":'); },
    },
    {
      name: 'a GET asking for text, answered with JSON',
      config: (url) => ({ url: `${url}/x`, responseType: 'text' }),
      answer: json(200, { a: 1 }),
    },
  ];

  for (const exchange of exchanges) {
    it(`when ${exchange.name} is made, then the server and the caller see what axios.create() gives them`, async () => {
      const { url, seen } = await serve(exchange.answer);
      const outcomes = [];
      for (const http of [client(), createHighLevelHttp()]) {
        const response = await http.request({ ...request, ...exchange.config(url) });
        const got = seen.at(-1)!;
        outcomes.push({
          sent: { method: got.method, url: got.url, body: got.body, type: got.headers['content-type'], length: got.headers['content-length'], authorization: got.headers.authorization, version: got.headers.version },
          received: { status: response.status, data: response.data as unknown },
        });
      }
      expect(seen).toHaveLength(2);
      expect(outcomes[1]).toEqual(outcomes[0]);
    });
  }

  it('when a proxy is configured, then a JSON POST goes through axios\'s own adapter as axios.create() sends it', async () => {
    const { url: proxy, seen } = await serve(json(201, { via: 'proxy' }));
    for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy']) vi.stubEnv(name, '');
    vi.stubEnv('HTTP_PROXY', proxy);
    const outcomes = [];
    for (const http of [client(true), createHighLevelHttp({ viaProxy: true })]) {
      const response = await http.request({ ...request, method: 'POST', url: 'http://hl.example/conversations/messages', data: { type: 'SMS', message: 'Hi' } });
      const got = seen.at(-1)!;
      outcomes.push({ url: got.url, body: got.body, type: got.headers['content-type'], status: response.status, data: response.data as unknown });
    }
    expect(outcomes[0]).toEqual({ url: 'http://hl.example/conversations/messages', body: '{"type":"SMS","message":"Hi"}', type: 'application/json', status: 201, data: { via: 'proxy' } });
    expect(outcomes[1]).toEqual(outcomes[0]);
  });

  it('when HighLevel answers 4xx, then the lean client throws the AxiosError axios.create() throws', async () => {
    const { url } = await serve(json(422, { message: ['phone is invalid'] }));
    const errors = [];
    for (const http of [client(), createHighLevelHttp()]) {
      errors.push(await http.request({ ...request, method: 'POST', url, data: { a: 1 } }).then(() => null, (error: unknown) => error));
    }
    for (const error of errors) {
      expect(error).toBeInstanceOf(AxiosError);
      expect((error as AxiosError).response?.data).toEqual({ message: ['phone is invalid'] });
      expect((error as AxiosError).code).toBe(AxiosError.ERR_BAD_REQUEST);
    }
  });
});
