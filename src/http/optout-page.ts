// GET/POST /optout/:locationId — the public web opt-out page: no login, limited per client and per sub-account
// (counters in the database, shared by every instance), same answer for every readable number (it never tells whether
// the business knows a number), a 404 page where the app is not installed. It suppresses in TextBack only.
// GET/POST /optout/link/:token — the personalised link a HELP reply or confirmation may carry: a GET only shows a
// confirm button (link scanners prefetch GETs); the button's POST opts that number out, even past the caps.
import { Router, type Request, type Response } from 'express';
import { HOUR, MINUTE } from '../lib/clock.js';
import { maskPhone } from '../lib/phone.js';
import type { WorkflowDeps } from '../workflow/deps.js';
import { describeOptOutPage, optOutByLink, optOutByWeb, readPhone } from '../workflow/web-opt-out.js';
import { escapeHtml, renderPage } from './html-pages.js';
import { clientKey, type RateLimiter } from './rate-limit.js';
import { OPT_OUT_LINK_PATH, type OptOutLinkSeal } from './opt-out-links.js';

/** Form submissions per client (an IPv6 /64 is one client). */
export const OPT_OUT_CLIENT_LIMIT = { max: 5, windowMs: 10 * MINUTE };
/** Readable numbers typed into one sub-account's form; past it the page sends people to STOP by text. */
export const OPT_OUT_LOCATION_LIMIT = { max: 20, windowMs: HOUR };

export interface OptOutPageDeps {
  workflow: WorkflowDeps;
  sandbox?: boolean;
  /** Keyed by clientKey(req); see OPT_OUT_CLIENT_LIMIT. */
  clientLimiter: RateLimiter;
  /** Keyed by location id; see OPT_OUT_LOCATION_LIMIT. */
  locationLimiter: RateLimiter;
  /** Opens personalised links; absent: the link route answers 404. */
  links?: Pick<OptOutLinkSeal, 'open'>;
}

const retryAfter = async (res: Response, limiter: RateLimiter, key: string) =>
  res.set('retry-after', String(Math.max(1, Math.ceil(await limiter.retryAfterMs(key) / 1000))));

export function optOutPageRoutes(deps: OptOutPageDeps): Router {
  const router = Router();

  const send = (res: Response, status: number, heading: string, body: string) => {
    res.status(status)
      .set({ 'cache-control': 'no-store', 'x-robots-tag': 'noindex', 'referrer-policy': 'no-referrer' })
      .type('html')
      .send(renderPage({ title: heading, heading, body, sandbox: deps.sandbox }));
  };
  const notFound = (res: Response) => send(res, 404, 'Page not found', '<p>This opt-out page does not exist.</p>');

  /** The sealed location and number, with the business's name, or null after answering 404. */
  async function openLink(req: Request, res: Response) {
    const sealed = deps.links?.open(String(req.params.token));
    const page = sealed ? await describeOptOutPage(deps.workflow, sealed.locationId) : null;
    if (!sealed || !page) {
      send(res, 404, 'Link not valid', '<p>This opt-out link is not valid. You can still reply STOP to any text from the business.</p>');
      return null;
    }
    return { ...sealed, name: escapeHtml(page.businessName) };
  }

  router.get(`${OPT_OUT_LINK_PATH}/:token`, async (req, res) => {
    const link = await openLink(req, res);
    if (!link) return;
    send(res, 200, 'Stop texts?',
      `<p>Stop all texts from ${link.name} to the number ending in ${escapeHtml(maskPhone(link.phone).replace(/\*/g, ''))}?</p>` +
      // No action attribute: the button posts back to this same address.
      '<form method="post"><p><button type="submit">Stop texts</button></p></form>' + optInNote(link.name));
  });

  router.post(`${OPT_OUT_LINK_PATH}/:token`, async (req, res) => {
    const link = await openLink(req, res);
    if (!link) return;
    const result = await optOutByLink(deps.workflow, { locationId: link.locationId, phone: link.phone });
    if (result === 'not-installed') return notFound(res);
    send(res, 200, 'Texts stopped', `<p>${link.name} will not text that number again through this service.</p>` + optInNote(link.name));
  });

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
    const client = clientKey(req);
    if (!await deps.clientLimiter.take(client)) {
      await retryAfter(res, deps.clientLimiter, client);
      return send(res, 429, 'Too many attempts', '<p>Too many requests came from your network. Please wait a few minutes and try again.</p>');
    }
    const page = await describeOptOutPage(deps.workflow, req.params.locationId);
    if (!page) return notFound(res);
    const name = escapeHtml(page.businessName);
    const raw = typeof (req.body as { phone?: unknown } | undefined)?.phone === 'string' ? (req.body as { phone: string }).phone : '';
    if (!readPhone(raw)) {
      return send(res, 400, 'Please check the number',
        '<p>That does not look like a phone number. Please check it and include the area code ' +
        '(and the country code, e.g. +44, for numbers outside the US and Canada).</p>' + form());
    }
    // The sub-account's cap: a flood of typed numbers cannot silence a business's callers; they can still text STOP.
    const locationId = req.params.locationId;
    if (!await deps.locationLimiter.take(locationId)) {
      await retryAfter(res, deps.locationLimiter, locationId);
      return send(res, 429, 'Please text STOP instead',
        `<p>This page cannot take more requests for ${name} right now. To stop texts at once, reply STOP to any text ` +
        `from ${name}; that always works. Or try this page again later.</p>`);
    }
    const result = await optOutByWeb(deps.workflow, { locationId, phone: raw });
    if (result === 'not-installed') return notFound(res);
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
