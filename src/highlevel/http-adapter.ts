// The HTTP exchange under the HighLevel client's axios: one request on a kept-alive node:http(s) connection, nothing
// more. axios keeps what it is for (config, headers, JSON both ways, errors); its general-purpose `http` adapter (proxy
// lookup from the environment on every request, redirect and decompression streams, a keep-alive syscall per
// request) cost ~55 µs of CPU per request, a call makes two (docs/decisions/0015-lean-http-adapter.md).
// Whatever this adapter does not do (a proxy, a signal, streams, redirects) goes to axios's own adapter unchanged.
import http from 'node:http';
import https from 'node:https';
import axios, { AxiosError, type Axios, type AxiosAdapter, type AxiosHeaders, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';

/** A response body past this is refused (HighLevel's are a few KB): a broken or hostile peer cannot fill memory. */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export interface LeanAdapterOptions {
  /** A proxy is set in the environment (config.highLevel.viaProxy): every request goes through axios's own adapter, which honours it. */
  viaProxy?: boolean;
}

/**
 * The HighLevel client's axios instance: axios on the lean adapter below, with only the defaults a HighLevel request
 * uses. `axios.create` starts from axios's global defaults (a header set per method, form and buffer transforms),
 * which every request merges and normalises again: ~15 µs of CPU per request, two per text
 * (bench `http-client`). Bodies are JSON or text both ways; axios's own rules for them are kept: an object is sent as
 * JSON with its content type, a string as is; an answer that parses as JSON is the parsed value, else the text.
 */
export function createHighLevelHttp(options: LeanAdapterOptions = {}): Axios {
  return new axios.Axios({
    adapter: createLeanAdapter(options),
    headers: {},
    transformRequest: [jsonRequestBody],
    transformResponse: [jsonResponseBody],
    transitional: axios.defaults.transitional,
    validateStatus: axios.defaults.validateStatus,
  });
}

/** An object becomes JSON (with its content type unless one was set); a string, a buffer or nothing goes as is. */
function jsonRequestBody(this: InternalAxiosRequestConfig, data: unknown, headers: AxiosHeaders): unknown {
  if (data === undefined || data === null || typeof data === 'string' || Buffer.isBuffer(data)) return data;
  headers.setContentType('application/json', false);
  return JSON.stringify(data);
}

/** A JSON answer is parsed; anything else (an empty body, an HTML error page) stays the text it was. */
function jsonResponseBody(this: InternalAxiosRequestConfig, data: unknown): unknown {
  if (typeof data !== 'string' || data === '' || this.responseType === 'text') return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}

/** An axios adapter for plain JSON requests over kept-alive connections. */
export function createLeanAdapter(options: LeanAdapterOptions = {}): AxiosAdapter {
  const fallback = axios.getAdapter('http');
  const proxied = options.viaProxy ?? false;
  // As Node's global agents (what axios used): kept alive, an idle socket closed after 5 s so that a request is
  // rarely written into a connection the server is closing.
  const agents = {
    'http:': new http.Agent({ keepAlive: true, timeout: 5_000 }),
    'https:': new https.Agent({ keepAlive: true, timeout: 5_000 }),
  };

  return (config) => {
    if (proxied || !handles(config)) return fallback(config);
    const url = targetOf(config);
    const transport = url.protocol === 'https:' ? https : http;
    const agent = url.protocol === 'https:' ? agents['https:'] : agents['http:'];
    const body = config.data as string | Buffer | undefined | null ?? undefined;
    const headers = config.headers.toJSON() as http.OutgoingHttpHeaders;
    headers['User-Agent'] ??= `axios/${axios.VERSION}`;
    if (body !== undefined) headers['Content-Length'] = Buffer.byteLength(body);
    return new Promise<AxiosResponse>((resolve, reject) => {
      const request = transport.request(url, { method: (config.method ?? 'get').toUpperCase(), agent, headers }, (response) => {
        const chunks: Buffer[] = [];
        let received = 0;
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > MAX_RESPONSE_BYTES) {
            request.destroy();
            reject(new AxiosError(`response larger than ${MAX_RESPONSE_BYTES} bytes`, AxiosError.ERR_BAD_RESPONSE, config, request));
          } else chunks.push(chunk);
        });
        response.on('error', (error: NodeJS.ErrnoException) => reject(AxiosError.from(error, error.code, config, request)));
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          const answer: AxiosResponse = {
            status, statusText: response.statusMessage ?? '', headers: response.headers as AxiosResponse['headers'],
            data: Buffer.concat(chunks).toString('utf8'), config, request,
          };
          if (!config.validateStatus || config.validateStatus(status)) resolve(answer);
          else reject(new AxiosError(`Request failed with status code ${status}`, status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST, config, request, answer));
        });
      });
      request.on('error', (error: NodeJS.ErrnoException) => reject(AxiosError.from(error, error.code, config, request)));
      if (config.timeout) {
        request.setTimeout(config.timeout, () => {
          request.destroy();
          reject(new AxiosError(`timeout of ${config.timeout}ms exceeded`, config.transitional?.clarifyTimeoutError ? AxiosError.ETIMEDOUT : AxiosError.ECONNABORTED, config, request));
        });
      }
      request.end(body);
    });
  };
}

/** The URL with its query: flat values as axios's default serializer writes them, anything else by axios itself. */
function targetOf(config: InternalAxiosRequestConfig): URL {
  const params = config.params as Record<string, unknown> | undefined;
  const flat = params === undefined || params === null
    || (!config.paramsSerializer && Object.values(params).every((value) => value === undefined || value === null || ['string', 'number', 'boolean'].includes(typeof value)));
  if (!flat) return new URL(axios.getUri({ url: config.url, params, paramsSerializer: config.paramsSerializer }));
  const url = new URL(config.url ?? '');
  for (const [name, value] of Object.entries(params ?? {})) if (value !== undefined && value !== null) url.searchParams.append(name, String(value));
  return url;
}

/** What this adapter does the same as axios's own: a JSON or text exchange with no proxy, signal, stream or redirect. */
function handles(config: InternalAxiosRequestConfig): boolean {
  const data = config.data as unknown;
  return config.maxRedirects === 0
    && !config.proxy && !config.signal && !config.cancelToken && !config.socketPath && !config.httpAgent && !config.httpsAgent
    && (config.responseType === undefined || config.responseType === 'json' || config.responseType === 'text')
    && !config.onUploadProgress && !config.onDownloadProgress
    && (data === undefined || data === null || typeof data === 'string' || Buffer.isBuffer(data));
}
