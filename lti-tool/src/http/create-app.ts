/** The express application, without listen(): main.ts listens, tests drive it in-process. */
import express, { type ErrorRequestHandler } from 'express';
import { fileURLToPath } from 'node:url';
import { STYLESHEET_PATH } from '../web/page.tsx';
import type { ToolConfig } from '../config.ts';
import type { Issuer } from '../issuance/issuer.ts';
import { publicRoutes } from './public-routes.ts';

export interface AppDeps {
  readonly config: ToolConfig;
  readonly issuer: Issuer;
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use((_req, res, next) => {
    res.set('X-Content-Type-Options', 'nosniff').set('Referrer-Policy', 'no-referrer');
    next();
  });
  app.get('/health', (_req, res) => {
    res.json({ ok: true });
  });
  app.get(STYLESHEET_PATH, (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').sendFile(fileURLToPath(new URL('../../public/microcred.css', import.meta.url)));
  });
  app.use(publicRoutes(deps.issuer));
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', message: 'There is nothing at this address.' });
  });
  app.use(errorHandler);
  return app;
}

const errorHandler: ErrorRequestHandler = (error, _req, res, _next) => {
  // Details go to the log, never to the client.
  console.error(error);
  res.status(500).json({ error: 'internal_error', message: 'Something went wrong on our side; the error has been logged.' });
};
