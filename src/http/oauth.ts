// GET /oauth/install (start an install) and GET /oauth/callback (finish it): the marketplace's way in.
import { Router } from 'express';
import { z } from 'zod';
import type { Logger } from '../lib/logger.js';
import { OAuthError } from '../highlevel/oauth-client.js';
import type { Installer } from '../highlevel/installer.js';
import { escapeHtml, renderPage } from './html-pages.js';

export interface OAuthRoutesDeps {
  installer: Installer;
  logger: Logger;
  marketplaceUrl: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  sandbox: boolean;
}

const CallbackQuerySchema = z.object({ code: z.string().trim().min(8).max(4096).regex(/^[\w.~-]+$/) });

export function oauthRoutes(deps: OAuthRoutesDeps): Router {
  const router = Router();

  router.get('/oauth/install', (_req, res) => {
    const url = new URL('/v2/oauth/chooselocation', deps.marketplaceUrl);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', deps.clientId);
    url.searchParams.set('redirect_uri', deps.redirectUri);
    url.searchParams.set('scope', deps.scopes.join(' '));
    res.redirect(302, url.toString());
  });

  router.get('/oauth/callback', async (req, res) => {
    const page = (status: number, heading: string, body: string) =>
      res.status(status).type('html').send(renderPage({ title: `TextBack: ${heading}`, heading, body, sandbox: deps.sandbox }));
    const query = CallbackQuerySchema.safeParse(req.query);
    if (!query.success) {
      return page(400, 'This install link is incomplete', '<p>HighLevel did not pass an authorization code. Start the install again from the HighLevel marketplace.</p>');
    }
    try {
      const result = await deps.installer.complete(query.data.code);
      deps.logger.info({ kind: result.kind, ownerId: result.ownerId, locations: result.locationIds.length, reconnected: result.reconnected }, 'install completed');
      const what = result.kind === 'Company'
        ? `your agency (${result.locationIds.length} sub-account${result.locationIds.length === 1 ? '' : 's'} so far)`
        : `sub-account ${escapeHtml(result.ownerId)}`;
      return page(200, result.reconnected ? 'TextBack is reconnected' : 'TextBack is installed',
        `<p>TextBack is ${result.reconnected ? 'reconnected' : 'active'} for ${what}. Missed calls will be texted back within seconds.</p>
         <p>Open <strong>TextBack</strong> from the sub-account's menu in HighLevel to adjust the messages and hours.</p>`);
    } catch (error) {
      if (error instanceof OAuthError && !error.retryable) {
        deps.logger.warn({ code: error.code, status: error.status, traceId: error.traceId }, 'install code rejected');
        return page(400, 'This install link has expired or was already used',
          '<p>HighLevel did not accept the authorization code. Nothing was installed. Start the install again from the HighLevel marketplace.</p>');
      }
      deps.logger.error({ err: error }, 'install failed');
      return page(502, 'HighLevel could not be reached', '<p>Nothing was installed. Please try the install again in a minute.</p>');
    }
  });

  return router;
}
