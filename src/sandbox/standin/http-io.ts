// Wire helpers for the stand-in: errors shaped like HighLevel's, JSON replies, bounded body reading.
import type { IncomingMessage, ServerResponse } from 'node:http';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

const MAX_BODY_BYTES = 1_000_000;

/** Thrown by route handlers; the pipeline turns it into the response. The only class here, as errors may be. */
export class StandInHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(`stand-in answered ${status}`);
    this.name = 'StandInHttpError';
  }
}

/** HighLevel's API error: `{statusCode, message, error}`; 422 carries `message` as an array. */
export function apiError(status: number, message: string | string[]): StandInHttpError {
  return new StandInHttpError(status, { statusCode: status, message, error: REASONS[status] ?? 'Error' });
}

/** The OAuth endpoint's error shape (RFC 6749 style). */
export function oauthError(status: number, error: string, description: string): StandInHttpError {
  return new StandInHttpError(status, { error, error_description: description });
}

export interface Reply {
  status: number;
  body: unknown;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string>,
): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function readBody(req: IncomingMessage): Promise<string> {
  if (req.readableEnded) {
    // Someone upstream (e.g. express.json) already drained the stream: waiting for 'end' would hang forever.
    return Promise.reject(apiError(500, 'Request body already consumed: mount the stand-in before any body parser'));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(apiError(413, 'Request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 0 ? '' : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function isJsonContentType(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().includes('application/json');
}

export function isFormContentType(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().includes('application/x-www-form-urlencoded');
}

/** Parses a JSON object body; anything else is HighLevel's 400. */
export function parseJsonObject(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw apiError(400, error instanceof Error ? error.message : 'Invalid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw apiError(400, 'Request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

export function parseForm(text: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(text));
}
