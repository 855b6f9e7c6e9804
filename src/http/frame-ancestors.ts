// Who may frame the app's pages (CSP frame-ancestors): itself, HighLevel's own domains, FRAME_ANCESTORS, and at most one
// white-label CRM origin learned from INSTALL events: the one this request says is framing it (Referer + Sec-Fetch-*).
// The header stays the same size however many agencies installed (docs/decisions/0007-white-label-frame-ancestors.md).
import type { IncomingMessage } from 'node:http';

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
  /** Whether a white-label origin was learned from an INSTALL event. */
  isLearned(origin: string): boolean;
}

/** The frame-ancestors sources for one request, as one space-separated string. */
export function createFrameAncestors(options: FrameAncestorsOptions): (req: IncomingMessage) => string {
  const fixed = [...new Set(["'self'", ...options.configured, ...HIGHLEVEL_FRAME_ANCESTORS])];
  const fixedSet = new Set(fixed);
  return (req) => {
    const learned = learnedParent(req, options.isLearned);
    return (learned && !fixedSet.has(learned) ? [...fixed, learned] : fixed).join(' ');
  };
}

/** The Referer's origin when the request is a cross-site frame load and that origin was learned; else null. */
function learnedParent(req: IncomingMessage, isLearned: (origin: string) => boolean): string | null {
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
  if (!origin.startsWith('https://')) return null;
  return isLearned(origin) ? origin : null;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value)?.toLowerCase();
}
