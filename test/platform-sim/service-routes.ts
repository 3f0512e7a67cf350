/** The LTI Advantage service endpoints of the simulator: OAuth2 token, AGS and NRPS. */
import express from 'express';
import { agsRoutes } from './ags-routes.ts';
import type { SimContext } from './context.ts';
import { nrpsRoutes } from './nrps-routes.ts';
import { tokenRoutes } from './token-routes.ts';

export function serviceRoutes(ctx: SimContext): express.Router {
  const router = express.Router();
  router.use(tokenRoutes(ctx));
  router.use(agsRoutes(ctx));
  router.use(nrpsRoutes(ctx));
  return router;
}
