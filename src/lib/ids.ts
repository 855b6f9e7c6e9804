// Random identifiers for keys that must never collide (a test text's send key): the workflow asks here, not node:crypto.
import { randomUUID } from 'node:crypto';

/** A random RFC 4122 version 4 UUID. */
export function randomId(): string {
  return randomUUID();
}
