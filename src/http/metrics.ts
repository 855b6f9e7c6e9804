// GET /metrics: the app's metrics in Prometheus text format. Aggregates only (no ids, numbers or tokens in any label),
// so it is served without a session; restrict it to the scraper at the proxy if the counts themselves are sensitive.
import { Router } from 'express';
import { PROMETHEUS_CONTENT_TYPE } from '../lib/metrics.js';

export function metricsRoutes(deps: { render(): string }): Router {
  const router = Router();
  router.get('/metrics', (_req, res) => {
    res.set('Cache-Control', 'no-store').type(PROMETHEUS_CONTENT_TYPE).send(deps.render());
  });
  return router;
}
