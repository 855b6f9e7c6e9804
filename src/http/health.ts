// Liveness (/healthz: the process serves) and readiness (/readyz: the database answers too).
import { Router } from 'express';
import type { Db } from '../store/db.js';

export function healthRoutes(deps: { db: Db; isShuttingDown(): boolean }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });
  router.get('/readyz', (_req, res) => {
    if (deps.isShuttingDown()) return void res.status(503).json({ status: 'shutting-down' });
    try {
      deps.db.prepare('SELECT 1').get();
      res.json({ status: 'ok', database: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable', database: 'error' });
    }
  });
  return router;
}
