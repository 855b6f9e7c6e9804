// The real app on a real port (addressed as 127.0.0.1) and a stand-in HighLevel parent page on another origin
// (localhost) that frames /app and answers REQUEST_USER_DATA with an encrypted user context, as HighLevel does.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHarness, type Harness } from '../../helpers/harness.js';
import { encryptUserContext } from '../../../src/highlevel/sso.js';

export const SHARED_SECRET = 'shared-secret-value';

export interface UserContextInput {
  userId?: string;
  companyId?: string;
  role?: string;
  type?: string;
  userName?: string;
  email?: string;
  activeLocation?: string;
}

export interface EmbeddedApp {
  h: Harness;
  appOrigin: string;
  parentOrigin: string;
  /** The parent page framing /app for this user context (an encrypted payload is minted per page load). */
  parentUrl(ctx: UserContextInput, options?: { width?: number; height?: number; query?: string }): string;
  payloadFor(ctx: UserContextInput): string;
  close(): Promise<void>;
}

export function userContext(ctx: UserContextInput) {
  return {
    userId: 'user-1', companyId: 'company-1', role: 'admin', type: 'agency', userName: 'Dana Reyes', email: 'dana@example.com', ...ctx,
  };
}

function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
}

function parentPage(appUrl: string, payload: string, width: string, height: string): string {
  // JSON.stringify of base64 and of a URL cannot close the script element.
  return `<!doctype html><html><head><meta charset="utf-8"><title>HighLevel (stand-in)</title>
<style>body{margin:0;background:#e5e7eb}iframe{display:block;border:0;width:${width};height:${height};background:#fff}</style></head>
<body><iframe id="app" src=${JSON.stringify(appUrl)} title="TextBack"></iframe>
<script>
  window.userDataRequests = 0;
  const appOrigin = new URL(${JSON.stringify(appUrl)}).origin;
  window.addEventListener('message', (event) => {
    if (event.origin !== appOrigin || !event.data || event.data.message !== 'REQUEST_USER_DATA') return;
    window.userDataRequests += 1;
    document.getElementById('app').contentWindow.postMessage({ message: 'REQUEST_USER_DATA_RESPONSE', payload: ${JSON.stringify(payload)} }, '*');
  });
</script></body></html>`;
}

export async function startEmbeddedApp(options: { startAt?: number } = {}): Promise<EmbeddedApp> {
  let appOrigin = '';
  const contexts = new Map<string, UserContextInput>();
  const payloadFor = (ctx: UserContextInput) => encryptUserContext(userContext(ctx), SHARED_SECRET);

  const parent = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://parent');
    const ctx = contexts.get(url.searchParams.get('ctx') ?? '');
    if (url.pathname !== '/embed' || !ctx) { res.writeHead(404).end(); return; }
    const width = url.searchParams.get('w') ? `${Number(url.searchParams.get('w'))}px` : '100%';
    const height = url.searchParams.get('h') ? `${Number(url.searchParams.get('h'))}px` : '100vh';
    const query = url.searchParams.get('q') ?? '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(parentPage(`${appOrigin}/app${query}`, payloadFor(ctx), width, height));
  });
  const parentPort = await listen(parent, '127.0.0.1');
  const parentOrigin = `http://localhost:${parentPort}`;

  const h = await createHarness({ env: { FRAME_ANCESTORS: parentOrigin }, startAt: options.startAt });
  const app = createServer(h.app.handler);
  const appPort = await listen(app, '127.0.0.1');
  appOrigin = `http://127.0.0.1:${appPort}`;

  return {
    h, appOrigin, parentOrigin, payloadFor,
    parentUrl(ctx, view = {}) {
      const key = String(contexts.size + 1);
      contexts.set(key, ctx);
      const params = new URLSearchParams({ ctx: key });
      if (view.width) params.set('w', String(view.width));
      if (view.height) params.set('h', String(view.height));
      if (view.query) params.set('q', view.query);
      return `${parentOrigin}/embed?${params}`;
    },
    async close() {
      await Promise.all([close(app), close(parent)]);
      await h.close();
    },
  };
}
