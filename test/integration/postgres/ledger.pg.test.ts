// The send ledger contract (test/contracts/ledger-contract.ts) on PostgreSQL, and what several instances add: a STOP
// and a send to the same number racing on two pools never both win (the number's advisory lock, taken by the
// reservation and by the suppression), and start-up recovery leaves another live instance's send in flight alone.
import { describe, expect, it } from 'vitest';
import type { Pool, PoolClient } from 'pg';
import { MINUTE } from '../../../src/lib/clock.js';
import { createPostgresSendLedger, INTERRUPTED_AFTER_MS } from '../../../src/store/postgres/ledger.js';
import { createPostgresSuppressions } from '../../../src/store/postgres/suppressions.js';
import { transaction, type Postgres } from '../../../src/store/postgres/pool.js';
import type { SendLedger } from '../../../src/workflow/ports/storage.js';
import { describeSendLedgerContract } from '../../contracts/ledger-contract.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { usePostgresEngine } from '../../helpers/store-engines.js';

const NOW = 1_700_000_000_000;
const send = (phone: string, sendKey: string): Parameters<SendLedger['reserve']>[0] => ({
  locationId: 'loc-1', sendKey, kind: 'textback', callId: null, contactId: 'contact-1', phone, body: 'Sorry we missed you',
  segments: 1, provider: 'highlevel', checkSuppression: true,
});
const stop = (phone: string) => ({ locationId: 'loc-1', phone, source: 'keyword' as const, actor: 'caller' });

/**
 * A pool whose transactions stop just before COMMIT until released: one side of a race held at its worst moment. A
 * statement run on the pool itself (autocommit: the reservation's one statement) runs in a transaction of its own
 * that stops the same way, as if its implicit commit were late: it has done its work and holds its locks.
 */
function pausedBeforeCommit(pool: Pool): { pg: Pick<Postgres, 'pool'>; atCommit: Promise<void>; release(): void } {
  let reached!: () => void;
  let release!: () => void;
  const atCommit = new Promise<void>((resolve) => { reached = resolve; });
  const gate = new Promise<void>((resolve) => { release = resolve; });
  const wrap = (client: PoolClient) => new Proxy(client, {
    get(target, property) {
      if (property === 'query') {
        return async (text: string, values?: unknown[]) => {
          if (text === 'COMMIT') { reached(); await gate; }
          return target.query(text, values);
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const connect = async () => wrap(await pool.connect());
  const query = (text: string, values?: unknown[]) => transaction({ connect } as unknown as Pool, (client) => client.query(text, values));
  return { pg: { pool: { query, connect } as unknown as Pool }, atCommit, release };
}

/** The pool, telling `onSent` each statement its transactions send, as it is sent. */
function watched(pool: Pool, onSent: (text: string) => void): Pick<Postgres, 'pool'> {
  const wrap = (client: PoolClient) => new Proxy(client, {
    get(target, property) {
      if (property === 'query') {
        return (text: string, values?: unknown[]) => {
          const result = target.query(text, values);
          onSent(text);
          return result;
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { pool: { query: pool.query.bind(pool), connect: async () => wrap(await pool.connect()) } as unknown as Pool };
}

/** The pool with every statement and every connection taken for a transaction counted. */
function counted(pool: Pool): { pg: Pick<Postgres, 'pool'>; statements: string[]; connections(): number } {
  const statements: string[] = [];
  let connections = 0;
  const query = (text: string, values?: unknown[]) => { statements.push(text); return pool.query(text, values); };
  const connect = () => { connections += 1; return pool.connect(); };
  return { pg: { pool: { query, connect } as unknown as Pool }, statements, connections: () => connections };
}

describe.runIf(hasPostgres)('PostgreSQL send ledger', () => {
  const engine = usePostgresEngine();

  describeSendLedgerContract('PostgreSQL', async () => {
    const { pg, rows } = await engine.fresh();
    return { store: createPostgresSendLedger(pg), rows, close() {} };
  });

  /** Who wrote first: xids are handed out at a transaction's first write, which both sides make under the lock. */
  async function writeOrder(pool: Pool, phone: string, sendKey: string) {
    const { rows: [row] } = await pool.query<{ send: number | null; stop: number | null }>(`
      SELECT (SELECT xmin::text::bigint FROM messages WHERE send_key = $1) AS send,
             (SELECT xmin::text::bigint FROM suppressions WHERE location_id = 'loc-1' AND phone = $2) AS stop`, [sendKey, phone]);
    return row;
  }

  /** Polls until a transaction of this database waits for an advisory lock (true), or `finished()` says it ran through. */
  async function waitsForLock(pool: Pool, finished: () => boolean): Promise<boolean> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (finished()) return false;
      const { rows } = await pool.query<{ n: number }>(`
        SELECT COUNT(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
        WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = current_database()`);
      if (rows[0].n > 0) return true;
    }
    throw new Error('the other side neither waited for the lock nor finished');
  }

  describe('a reservation that checks the suppression list', () => {
    it('when a send is reserved, found existing, or refused, then each is one statement on the pool and no transaction of its own', async () => {
      const { pg } = await engine.fresh();
      const pool = counted(pg.pool);
      const ledger = createPostgresSendLedger(pool.pg);
      const reserved = await ledger.reserve(send('+15550001111', 'k1'), NOW);
      expect(reserved).toMatchObject({ outcome: 'reserved', entry: { sendKey: 'k1', kind: 'textback', status: 'sending', phone: '+15550001111', createdAt: NOW, sentAt: null } });
      await createPostgresSuppressions(pg).suppress(stop('+15550001111'), NOW);
      await createPostgresSuppressions(pg).suppress(stop('+15550002222'), NOW);
      expect(await ledger.reserve(send('+15550001111', 'k1'), NOW + 1)).toEqual({ outcome: 'exists', entry: reserved.outcome === 'reserved' && reserved.entry });
      expect(await ledger.reserve(send('+15550002222', 'k2'), NOW + 1)).toEqual({ outcome: 'suppressed' });
      expect(pool.statements).toHaveLength(3);
      expect(pool.statements.every((text) => /textback_reserve_send/.test(text))).toBe(true);
      expect(pool.connections()).toBe(0);
    });
  });

  describe('a STOP and a send to the same number on two instances', () => {
    it('when they race many times, in both orders and from either pool, then a send is reserved only if it came before the suppression', async () => {
      await engine.fresh();
      const pools = [engine.pg(), engine.open()];
      const ledgers = pools.map((pg) => createPostgresSendLedger(pg));
      let onStopStatement: ((text: string) => void) | undefined;
      const lists = pools.map((pg) => createPostgresSuppressions(watched(pg.pool, (text) => onStopStatement?.(text))));
      const seen = { reserved: 0, suppressed: 0 };
      for (let i = 0; i < 200; i += 1) {
        const phone = `+1555${String(i).padStart(7, '0')}`;
        const sendKey = `textback:loc-1:${i}`;
        const sendOn = i % 2;
        const reserve = () => ledgers[sendOn].reserve(send(phone, sendKey), NOW);
        const suppress = () => lists[1 - sendOn].suppress(stop(phone), NOW);
        /** The send starts once the STOP has sent a statement matching `pattern` (the reservation's one statement is quick: started together, it mostly wins). */
        const sendOnceStopSent = async (pattern: RegExp) => {
          const sent = new Promise<void>((resolve) => { onStopStatement = (text) => { if (pattern.test(text)) resolve(); }; });
          const stopping = suppress();
          await sent;
          const [reservation] = await Promise.all([reserve(), stopping]);
          onStopStatement = undefined;
          return reservation;
        };
        const mode = Math.floor(i / 2) % 4;
        const reservation = mode === 0 ? (await Promise.all([reserve(), suppress()]))[0]
          : mode === 1 ? (await Promise.all([suppress(), reserve()]))[1]
            : await sendOnceStopSent(mode === 2 ? /^BEGIN$/ : /pg_advisory_xact_lock/);
        const order = await writeOrder(pools[0].pool, phone, sendKey);
        expect(order.stop).not.toBeNull();
        if (reservation.outcome === 'reserved') {
          seen.reserved += 1;
          expect(order.send).not.toBeNull();
          expect(order.send!).toBeLessThan(order.stop!);
        } else {
          expect(reservation.outcome).toBe('suppressed');
          seen.suppressed += 1;
          expect(order.send).toBeNull();
        }
      }
      // Both orders really happened.
      expect(seen.reserved).toBeGreaterThan(0);
      expect(seen.suppressed).toBeGreaterThan(0);
    });

    it('when a reservation has checked the list but not committed yet, then a STOP on another instance waits for it and comes after', async () => {
      await engine.fresh();
      const other = engine.open();
      const paused = pausedBeforeCommit(engine.pg().pool);
      const order: string[] = [];
      const reserving = Promise.resolve(createPostgresSendLedger(paused.pg).reserve(send('+15550001111', 'k1'), NOW)).then((result) => { order.push('send'); return result; });
      await paused.atCommit;
      const stopping = Promise.resolve(createPostgresSuppressions(other).suppress(stop('+15550001111'), NOW)).then((result) => { order.push('stop'); return result; });
      try {
        expect(await waitsForLock(other.pool, () => order.includes('stop'))).toBe(true);
      } finally {
        paused.release();
      }
      expect((await reserving).outcome).toBe('reserved');
      expect(await stopping).toBe(true);
      expect(order).toEqual(['send', 'stop']);
      const written = await writeOrder(other.pool, '+15550001111', 'k1');
      expect(written.send!).toBeLessThan(written.stop!);
    });

    it('when a STOP is written but not committed yet, then a send on another instance waits for it and is refused', async () => {
      await engine.fresh();
      const other = engine.open();
      const paused = pausedBeforeCommit(engine.pg().pool);
      let reserved = false;
      const stopping = createPostgresSuppressions(paused.pg).suppress(stop('+15550001111'), NOW);
      await paused.atCommit;
      const reserving = Promise.resolve(createPostgresSendLedger(other).reserve(send('+15550001111', 'k1'), NOW)).finally(() => { reserved = true; });
      try {
        expect(await waitsForLock(other.pool, () => reserved)).toBe(true);
      } finally {
        paused.release();
      }
      expect(await stopping).toBe(true);
      expect(await reserving).toEqual({ outcome: 'suppressed' });
      expect(await createPostgresSendLedger(other).findByKey('k1')).toBeNull();
    });
  });

  describe('start-up recovery with several instances', () => {
    it('when an instance starts while another has sends in flight, then only reservations older than a job lease (and skew) become unknown', async () => {
      const { pg } = await engine.fresh();
      const ledger = createPostgresSendLedger(pg);
      expect(INTERRUPTED_AFTER_MS).toBeGreaterThan(5 * MINUTE);
      await ledger.reserve(send('+15550000001', 'in-flight'), NOW - MINUTE);
      await ledger.reserve(send('+15550000002', 'at-the-edge'), NOW - INTERRUPTED_AFTER_MS);
      await ledger.reserve(send('+15550000003', 'abandoned'), NOW - INTERRUPTED_AFTER_MS - 1);
      expect(await ledger.markInterruptedUnknown(NOW)).toBe(1);
      expect((await ledger.findByKey('in-flight'))?.status).toBe('sending');
      expect((await ledger.findByKey('at-the-edge'))?.status).toBe('sending');
      expect((await ledger.findByKey('abandoned'))?.status).toBe('unknown');
    });

    it('when the grace is configured, then that age is the line', async () => {
      const { pg } = await engine.fresh();
      const ledger = createPostgresSendLedger(pg, { interruptedAfterMs: 30_000 });
      await ledger.reserve(send('+15550000001', 'young'), NOW - 29_000);
      await ledger.reserve(send('+15550000002', 'old'), NOW - 31_000);
      expect(await ledger.markInterruptedUnknown(NOW)).toBe(1);
      expect((await ledger.findByKey('young'))?.status).toBe('sending');
      expect((await ledger.findByKey('old'))?.status).toBe('unknown');
    });
  });
});
