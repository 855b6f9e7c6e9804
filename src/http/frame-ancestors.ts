// Who may frame the app's pages (CSP frame-ancestors): itself, HighLevel's own domains, FRAME_ANCESTORS, and at most one
// white-label CRM origin learned from INSTALL events: the one this request says is framing it (Referer + Sec-Fetch-*).
// The header stays the same size however many agencies installed (docs/decisions/0007-white-label-frame-ancestors.md).
import type { IncomingMessage } from 'node:http';
import type { Awaitable } from '../lib/awaitable.js';

/** HighLevel's own app domains, always allowed. */
export const HIGHLEVEL_FRAME_ANCESTORS: readonly string[] = [
  'https://app.gohighlevel.com', 'https://*.gohighlevel.com', 'https://app.leadconnectorhq.com',
  'https://*.leadconnectorhq.com', 'https://*.msgsndr.com',
];

// Destinations of a document that can be framed; a top-level navigation or a fetch is framed by no one.
const FRAMED_DESTINATIONS = new Set(['iframe', 'frame', 'embed', 'object']);

export interface FrameAncestorsOptions {
  /** FRAME_ANCESTORS: extra origins an operator allows. */
  configured: readonly string[];
  /** Whether a white-label origin was learned from an INSTALL event (a store look-up). */
  isLearned(origin: string): Awaitable<boolean>;
}

/**
 * The frame-ancestors sources for one request, as one space-separated string. Answered at once, without asking the
 * store, unless the request is a cross-site frame load whose parent might be a learned origin.
 */
export function createFrameAncestors(options: FrameAncestorsOptions): (req: IncomingMessage) => Awaitable<string> {
  const fixed = [...new Set(["'self'", ...options.configured, ...HIGHLEVEL_FRAME_ANCESTORS])];
  const fixedSet = new Set(fixed);
  const fixedSources = fixed.join(' ');
  const withLearned = async (origin: string) => (await options.isLearned(origin) ? [...fixed, origin].join(' ') : fixedSources);
  return (req) => {
    const parent = candidateParent(req);
    return parent && !fixedSet.has(parent) ? withLearned(parent) : fixedSources;
  };
}

/** The Referer's https origin when the request is a cross-site frame load (it may be a learned origin); else null. */
function candidateParent(req: IncomingMessage): string | null {
  const dest = header(req, 'sec-fetch-dest');
  if (dest !== undefined && !FRAMED_DESTINATIONS.has(dest)) return null;
  if (header(req, 'sec-fetch-site') === 'same-origin') return null;
  const referer = header(req, 'referer');
  if (!referer || referer.length > 2048) return null;
  let origin: string;
  try {
    origin = new URL(referer).origin;
  } catch {
    return null;
  }
  return origin.startsWith('https://') ? origin : null;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value)?.toLowerCase();
}
