// GET /metrics: the app's metrics in Prometheus text format, for a scraper holding METRICS_TOKEN (bearer). Unset:
// 404, as if there were no such route. A loopback check would not do: behind a reverse proxy on the same host every
// request arrives from loopback. Aggregates only (no ids, numbers or tokens in any label).
import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

export function metricsRoutes(deps: { render(): Promise<string>; contentType: string; token: string | null }): Router {
  const router = Router();
  const expected = deps.token ? digest(deps.token) : null;
  router.get('/metrics', async (req, res) => {
    if (!expected) return void res.status(404).json({ error: 'not_found' });
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    // Compared as digests: constant time, and the lengths always match.
    if (!match || !timingSafeEqual(digest(match[1]), expected)) {
      return void res.status(401).set('WWW-Authenticate', 'Bearer realm="metrics"').json({ error: 'unauthorized' });
    }
    const body = await deps.render();
    res.set('Cache-Control', 'no-store').type(deps.contentType).send(body);
  });
  return router;
}
