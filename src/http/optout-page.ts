// GET/POST /optout/:locationId — the public web opt-out page: no login, rate-limited per client IP, same answer for
// every readable number (it never tells whether the business knows a number), a 404 page where the app is not installed.
import { Router, type Response } from 'express';
import { MINUTE, type Clock } from '../lib/clock.js';
import type { WorkflowDeps } from '../workflow/deps.js';
import { describeOptOutPage, optOutByWeb } from '../workflow/web-opt-out.js';
import { escapeHtml, renderPage } from './pages.js';
import { createRateLimiter } from './rate-limit.js';

export interface OptOutPageDeps {
  workflow: WorkflowDeps;
  clock: Clock;
  sandbox?: boolean;
  /** Opt-out submissions allowed per client IP per window; default 5 per 10 minutes. */
  limit?: { max: number; windowMs: number };
}

export function optOutPageRoutes(deps: OptOutPageDeps): Router {
  const router = Router();
  const limiter = createRateLimiter({ limit: deps.limit?.max ?? 5, windowMs: deps.limit?.windowMs ?? 10 * MINUTE, clock: deps.clock });

  const send = (res: Response, status: number, heading: string, body: string) => {
    res.status(status)
      .set({ 'cache-control': 'no-store', 'x-robots-tag': 'noindex', 'referrer-policy': 'no-referrer' })
      .type('html')
      .send(renderPage({ title: heading, heading, body, sandbox: deps.sandbox }));
  };
  const notFound = (res: Response) => send(res, 404, 'Page not found', '<p>This opt-out page does not exist.</p>');

  router.get('/optout/:locationId', async (req, res) => {
    const page = await describeOptOutPage(deps.workflow, req.params.locationId);
    if (!page) return notFound(res);
    const name = escapeHtml(page.businessName);
    send(res, 200, `Stop texts from ${page.businessName}`,
      `<p>${name} texts people back when it misses their call. Enter your mobile number and ${name} will send no more ` +
      'text messages to it through this service. This takes effect at once; you will not get a text confirming it.</p>' +
      form() + optInNote(name));
  });

  router.post('/optout/:locationId', async (req, res) => {
    const client = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    if (!limiter.take(client)) {
      res.set('retry-after', String(Math.max(1, Math.ceil(limiter.retryAfterMs(client) / 1000))));
      return send(res, 429, 'Too many attempts', '<p>Too many requests came from your network. Please wait a few minutes and try again.</p>');
    }
    const raw = typeof (req.body as { phone?: unknown } | undefined)?.phone === 'string' ? (req.body as { phone: string }).phone : '';
    const result = await optOutByWeb(deps.workflow, { locationId: req.params.locationId, phone: raw });
    if (result === 'not-installed') return notFound(res);
    const page = await describeOptOutPage(deps.workflow, req.params.locationId);
    const name = escapeHtml(page?.businessName ?? 'this business');
    if (result === 'invalid-number') {
      return send(res, 400, 'Please check the number',
        '<p>That does not look like a phone number. Please check it and include the area code ' +
        '(and the country code, e.g. +44, for numbers outside the US and Canada).</p>' + form());
    }
    send(res, 200, 'Request received',
      `<p>If ${name} has texted that number through this service, it will not text it again. Nothing more is needed from you.</p>` +
      optInNote(name));
  });

  return router;
}

function form(): string {
  // No action attribute: the form posts back to the page's own address.
  return '<form method="post"><p><label for="phone">Mobile number</label><br>' +
    '<input id="phone" name="phone" type="tel" inputmode="tel" autocomplete="tel" maxlength="40" required> ' +
    '<button type="submit">Stop texts</button></p></form>';
}

function optInNote(escapedName: string): string {
  return `<p>Changed your mind? Text START to ${escapedName}'s number to receive texts again. Opting back in works only ` +
    'by text, because a text shows that the phone is yours.</p>';
}
