/**
 * The issuer's public documents, readable by anyone without a login: did:web document (did:web
 * method spec, "Read"), JWKS (RFC 7517 §5), the OB 3.0 issuer Profile and our JSON-LD context.
 * Short CDN-friendly cache lifetimes on keys, so a rotation is seen within minutes.
 */
import { Router, type Response } from 'express';
import { MICROCRED_CONTEXT } from '../../../shared/credential/context.ts';
import type { Issuer } from '../issuance/issuer.ts';

const KEYS_CACHE = 'public, max-age=300';
const CONTEXT_CACHE = 'public, max-age=86400';
export const CONTEXT_PATH = '/contexts/microcred-v1.jsonld';

export function publicRoutes(issuer: Issuer): Router {
  const router = Router();
  const sendDidDocument = async (_req: unknown, res: Response) => sendJson(res, 'application/did+json', KEYS_CACHE, await issuer.didDocument());
  router.get('/.well-known/did.json', sendDidDocument);
  // did:web with a path (PUBLIC_URL https://host/base) resolves to /base/did.json behind a proxy that strips /base.
  router.get('/did.json', sendDidDocument);
  router.get('/.well-known/jwks.json', async (_req, res) => sendJson(res, 'application/jwk-set+json', KEYS_CACHE, await issuer.jwks()));
  router.get('/issuer', (_req, res) => sendJson(res, 'application/json', KEYS_CACHE, issuer.profile()));
  router.get(CONTEXT_PATH, (_req, res) => sendJson(res, 'application/ld+json', CONTEXT_CACHE, MICROCRED_CONTEXT));
  return router;
}

function sendJson(res: Response, type: string, cacheControl: string, body: unknown): void {
  res.set('Content-Type', `${type}; charset=utf-8`).set('Cache-Control', cacheControl).set('Access-Control-Allow-Origin', '*').send(JSON.stringify(body));
}
