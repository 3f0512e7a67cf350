/** The express application, without listen(): main.ts listens, tests drive it in-process. */
import express, { type ErrorRequestHandler } from 'express';
import { fileURLToPath } from 'node:url';
import { STYLESHEET_PATH } from '../web/page.tsx';
import type { ToolConfig } from '../config.ts';
import type { Issuer } from '../issuance/issuer.ts';
import { publicRoutes } from './public-routes.ts';
import type { LtiServices } from '../lti/lti-services.ts';
import { ltiAdminRoutes } from './lti-admin-routes.ts';
import { ltiRoutes } from './lti-routes.ts';
import type { CourseDeps } from './course-routes.ts';
import type { IssuanceDeps } from '../issuance/award-engine.ts';
import { localDocumentSource } from '../issuance/local-documents.ts';
import { publicOnlyFetch } from '../issuance/public-fetch.ts';
import { isLoopbackHost } from '../../../shared/net/fetch-document.ts';
import { createDocumentSource } from '../../../shared/net/document-source.ts';
import { credentialRoutes } from './credential-routes.ts';
import { verifyRoutes } from './verify-routes.ts';
import type { LmsConnections } from '../lms/lms-connections.ts';
import type { Store } from '../store/open-store.ts';
import { lmsAdminRoutes } from './lms-admin-routes.ts';

export interface AppDeps {
  readonly config: ToolConfig;
  readonly issuer: Issuer;
  /** The LTI 1.3 routes (/lti/..., /admin) are mounted when present. */
  readonly lti?: LtiServices;
  /** The public credential pages, status lists and /verify are mounted when present. */
  readonly issuance?: IssuanceDeps;
  /** With lti: launches land on the issuance pages and sync their course's results (course-routes.ts). */
  readonly sync?: CourseDeps;
  /** With lti: the admin's LMS connection pages (/admin/lms) and the LMS criteria in the definition form (issue 7). */
  readonly lms?: LmsConnections;
  /** What the course pages read beyond issuance: the LMS watch outcomes for the instructor. */
  readonly store?: Pick<Store, 'lmsWatchOutcomes'>;
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
  if (deps.lti) {
    const { lti, lms } = deps;
    const course = deps.sync && { ...deps.sync, ...(lms ? { lms } : {}), ...(deps.store ? { lmsWatchOutcomes: deps.store.lmsWatchOutcomes } : {}) };
    app.use(ltiRoutes(lti, course), ltiAdminRoutes(lti));
    if (lms) app.use(lmsAdminRoutes(lti, lms));
  }
  if (deps.issuance) {
    const { store, issuer, publicUrl, now } = deps.issuance;
    // Pasted credentials may name any issuer: no fetches into our own network (loopback only when we run on it).
    const fetchPublic = publicOnlyFetch((url, init) => fetch(url, init), { allowLoopback: isLoopbackHost(new URL(publicUrl).hostname) });
    const documents = localDocumentSource({ publicUrl, issuer, statusLists: store.statusLists, fallback: createDocumentSource({ fetch: fetchPublic, timeoutMs: 5_000 }) });
    app.use(credentialRoutes({ publicUrl, issuer, awards: store.awards, statusLists: store.statusLists, documents, ...(now ? { now } : {}) }), verifyRoutes({ documents, ...(now ? { now } : {}) }));
  }
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
