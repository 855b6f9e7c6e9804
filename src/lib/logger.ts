// Structured JSON logs (pino) that never carry tokens, secrets or full phone numbers.
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

const SECRET_KEY = /token|secret|password|authorization|api[-_]?key|auth|cookie|payload|signature/i;
// E.164-ish or formatted numbers of 7+ digits; only the last four survive.
const PHONE = /\+?\d[\d\s().-]{5,}\d/g;

/** Masks every phone-like digit run, keeping its last four digits: "+15551234567" → "***4567". */
export function maskPhones(text: string): string {
  return text.replace(PHONE, (match) => {
    const digits = match.replace(/\D/g, '');
    return digits.length >= 7 ? `***${digits.slice(-4)}` : match;
  });
}

function scrub(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return maskPhones(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { type: value.name, message: maskPhones(value.message) };
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && item !== undefined && typeof item !== 'boolean' ? '[redacted]' : scrub(item, depth + 1);
  }
  return out;
}

/**
 * Standard output, written in chunks (4 kB, or every 100 ms, whichever comes first) off the event loop: one write
 * per line cost the ingest path about 5 % of its event-loop time. The buffer is written out on exit (pino flushes it
 * synchronously then, after an uncaught error too); only a kill -9 loses at most its last 100 ms of lines.
 */
function standardOutput(): DestinationStream {
  return pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 100 });
}

export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => scrub(object, 0) as Record<string, unknown>,
      },
      hooks: {
        // Messages are scrubbed too: a phone number interpolated into a message must not leak.
        logMethod(args, method) {
          const scrubbed = args.map((arg) => (typeof arg === 'string' ? maskPhones(arg) : arg));
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? standardOutput(),
  );
}

/** A logger that writes nothing, for tests that don't look at logs. */
export const silentLogger: Logger = pino({ level: 'silent' });
