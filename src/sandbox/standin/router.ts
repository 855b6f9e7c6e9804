// Route table of the stand-in: method + path pattern (`:param` segments) → handler, with each route's API family.
import type { Reply } from './http-io.js';
import type { Grant } from './token-store.js';

/** The family decides the Version header, whether a bearer is needed, and whether faults may hit the route. */
export type Family = 'oauth-token' | 'oauth' | 'contacts' | 'conversations' | 'locations' | 'phone-system';
export type BodyKind = 'none' | 'json' | 'form';

export interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON object or form fields; `{}` for bodiless routes. */
  body: Record<string, unknown>;
  /** Absent only on the `oauth-token` family, which authenticates with client credentials instead. */
  grant?: Grant;
  now: number;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT';
  pattern: string;
  family: Family;
  body: BodyKind;
  handle(ctx: RouteContext): Reply | Promise<Reply>;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

interface CompiledRoute {
  route: Route;
  segments: string[];
}

export function createRouter(routes: Route[]) {
  // Literal segments outrank params position by position, so `/conversations/search` wins over `/conversations/:id`.
  const compiled: CompiledRoute[] = routes
    .map((route) => ({ route, segments: route.pattern.split('/').slice(1) }))
    .sort((a, b) => specificity(a.segments).localeCompare(specificity(b.segments)));

  function matchPath(path: string, method: string): RouteMatch | undefined {
    const parts = path.split('/').slice(1);
    if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
    for (const { route, segments } of compiled) {
      if (route.method !== method || segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let matched = true;
      for (let i = 0; i < segments.length; i += 1) {
        const segment = segments[i];
        const part = parts[i];
        if (segment.startsWith(':')) {
          if (part === '') { matched = false; break; }
          params[segment.slice(1)] = safeDecode(part);
        } else if (segment !== part) {
          matched = false;
          break;
        }
      }
      if (matched) return { route, params };
    }
    return undefined;
  }

  return { match: matchPath };
}

function specificity(segments: string[]): string {
  return segments.map((segment) => (segment.startsWith(':') ? '1' : '0')).join('');
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
