// Liveness (/healthz: the process serves) and readiness (/readyz: the database answers too).
import { Router } from 'express';
import type { Awaitable } from '../lib/awaitable.js';

export function healthRoutes(deps: { /** Throws (or rejects) when the database cannot answer. */ ping(): Awaitable<void>; isShuttingDown(): boolean }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });
  router.get('/readyz', async (_req, res) => {
    if (deps.isShuttingDown()) return void res.status(503).json({ status: 'shutting-down' });
    try {
      await deps.ping();
      res.json({ status: 'ok', database: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable', database: 'error' });
    }
  });
  return router;
}
