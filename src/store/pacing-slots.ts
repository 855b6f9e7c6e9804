// The port through which every instance's HighLevel pacer shares one budget per location: request slots reserved
// atomically in a window all instances count, and a 429's hold seen by all. PostgreSQL implements it
// (postgres/pacing-slots.ts); on SQLite one process owns the database and the pacer counts in memory alone.
import type { Awaitable } from './async-store.js';

export interface SlotRequest {
  /** Slots wanted together: all of them are reserved, or none. */
  count: number;
  now: number;
  /**
   * When these slots stop counting: the latest instant their requests can go, plus the window. A slot counts from
   * its reservation until then, so no window of HighLevel's holds more than `max` requests, whenever each went.
   */
  expiresAt: number;
  /** Slots that may count at once (the pacer's per-window budget). */
  max: number;
}

export type SlotReservation = { granted: true } | { granted: false; retryAt: number };

export interface PacingSlots {
  /** Reserves `count` slots for the owner when they fit beside every live slot of every instance and no hold is on. */
  reserve(ownerId: string, request: SlotRequest): Awaitable<SlotReservation>;
  /** Holds every instance's requests for the owner until `until` (HighLevel answered 429). */
  block(ownerId: string, until: number): Awaitable<void>;
}

/**
 * When `count` more fit beside the live slots `expiries` (each counts while its expiry is after now): once enough of
 * them have expired. Both engines answer a refusal with this time.
 */
export function slotsFreeAt(expiries: readonly number[], count: number, max: number, now: number): number {
  const live = expiries.filter((expiry) => expiry > now).sort((a, b) => a - b);
  const mustExpire = live.length + count - max;
  return mustExpire <= 0 ? now : live[mustExpire - 1];
}

/** The in-memory engine: what one process needs, and the reference the contract suite holds PostgreSQL to. */
export function createMemoryPacingSlots(): PacingSlots {
  const owners = new Map<string, { expiries: number[]; blockedUntil: number }>();
  const stateOf = (ownerId: string) => {
    let state = owners.get(ownerId);
    if (!state) {
      state = { expiries: [], blockedUntil: 0 };
      owners.set(ownerId, state);
    }
    return state;
  };
  return {
    reserve(ownerId, { count, now, expiresAt, max }) {
      const state = stateOf(ownerId);
      state.expiries = state.expiries.filter((expiry) => expiry > now);
      if (state.blockedUntil > now) return { granted: false, retryAt: state.blockedUntil };
      if (state.expiries.length + count > max) return { granted: false, retryAt: slotsFreeAt(state.expiries, count, max, now) };
      for (let i = 0; i < count; i += 1) state.expiries.push(expiresAt);
      return { granted: true };
    },
    block(ownerId, until) {
      const state = stateOf(ownerId);
      state.blockedUntil = Math.max(state.blockedUntil, until);
    },
  };
}
