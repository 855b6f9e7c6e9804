// Serves the embedded settings page: GET /app (views/index.html) and its static files under /app/assets/.
// Files are read once at start-up. Assets are also served under /app/assets/v-<hash>/… (the hash of every view
// file), which index.html links to, so browsers may cache them for a year and still see a deploy at once.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { Router, type Request, type Response } from 'express';
import { defaultSettings } from '../workflow/settings.js';
import { projectRoot } from '../lib/project-root.js';

export interface PageOptions {
  /** Sandbox mode: the page shows its sandbox banner (the server marks it with <meta name="textback-mode">). */
  sandbox: boolean;
  /** Defaults to <project root>/views. */
  viewsDir?: string;
}

interface StaticFile { body: Buffer; type: string; etag: string }

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};
const REVALIDATE = 'no-cache';
const IMMUTABLE = 'public, max-age=31536000, immutable';
const MODE_META = /<meta name="textback-mode" content="[a-z]*">/;
const VERSION_MARK = '/app/assets/';

export function pageRoutes(options: PageOptions): Router {
  const viewsDir = options.viewsDir ?? join(projectRoot(), 'views');
  const assets = loadAssets(join(viewsDir, 'assets'));
  const version = `v-${hashAll([...assets.values()].map((file) => file.etag).concat(readFileSync(join(viewsDir, 'index.html'), 'utf8')))}`;
  const page = buildIndex(readFileSync(join(viewsDir, 'index.html'), 'utf8'), options.sandbox, version);

  // The agency defaults editor starts from these and shows what the agency changed on top.
  const defaults = toFile(Buffer.from(JSON.stringify(defaultSettings())), '.json');

  const router = Router();
  router.get(['/app', '/app/'], (req, res) => {
    // Its CSP frame-ancestors names the white-label parent the Referer points at: a cache must not share it across parents.
    res.vary('Referer');
    send(req, res, page, REVALIDATE);
  });
  router.get('/app/settings-defaults.json', (req, res) => send(req, res, defaults, REVALIDATE));
  router.get(/^\/app\/assets\/(.+)$/, (req, res, next) => {
    const path = (req.params as Record<string, string>)[0] ?? '';
    const versioned = /^(v-[0-9a-f]+)\/(.+)$/.exec(path);
    const file = assets.get(versioned ? versioned[2] : path);
    if (!file) return next();
    // An old page asking for another version still gets today's file, but must not pin it for a year.
    send(req, res, file, versioned?.[1] === version ? IMMUTABLE : REVALIDATE);
  });
  return router;
}

function send(req: Request, res: Response, file: StaticFile, cacheControl: string): void {
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('ETag', file.etag);
  if (req.headers['if-none-match']?.split(/\s*,\s*/).includes(file.etag)) {
    res.status(304).end();
    return;
  }
  res.setHeader('Content-Type', file.type);
  res.setHeader('Content-Length', String(file.body.length));
  res.status(200).end(req.method === 'HEAD' ? undefined : file.body);
}

function buildIndex(html: string, sandbox: boolean, version: string): StaticFile {
  const marked = html
    .replace(MODE_META, `<meta name="textback-mode" content="${sandbox ? 'sandbox' : 'live'}">`)
    .replaceAll(`"${VERSION_MARK}`, `"${VERSION_MARK}${version}/`);
  return toFile(Buffer.from(marked, 'utf8'), '.html');
}

/** Every file under assets/, keyed by its path relative to it with forward slashes. */
function loadAssets(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  if (!existsSync(dir)) return files;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    const type = CONTENT_TYPES[extname(entry.name).toLowerCase()];
    if (!type || entry.name.startsWith('.')) continue;
    files.set(relative(dir, full).split(sep).join('/'), toFile(readFileSync(full), extname(entry.name)));
  }
  return files;
}

function toFile(body: Buffer, ext: string): StaticFile {
  return { body, type: CONTENT_TYPES[ext.toLowerCase()] ?? 'application/octet-stream', etag: `"${hashAll([body])}"` };
}

function hashAll(parts: (Buffer | string)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex').slice(0, 16);
}

