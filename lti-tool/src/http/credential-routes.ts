/**
 * The public credential URLs (agreed HTTP surface): /credentials/:id with content negotiation
 * (HTML for people; application/vc+jwt, application/vc+ld+json or application/json for machines),
 * the downloads, the baked badges, the printable certificate, and /status/:purpose/:listId
 * (Bitstring Status List v1.0 §3.1, a VC-JWT with ETag and a short Cache-Control for CDNs).
 */
import { Router, type Request, type Response } from 'express';
import QRCode from 'qrcode';
import type { DocumentSource } from '../../../shared/net/document-source.ts';
import type { Issuer } from '../issuance/issuer.ts';
import { bakedBadgePng, bakedBadgeSvg, hasPngBadge, loadPublicCredential, verifyStoredCredential, type PublicCredential } from '../issuance/public-credential.ts';
import { linkedInAddToProfileUrl } from '../issuance/linkedin.ts';
import { LIST_ID_PATTERN } from '../issuance/ids.ts';
import { publishedStatusList, STATUS_LIST_TTL_SECONDS } from '../issuance/status-list-publisher.ts';
import type { AwardRepository } from '../store/award-repository.ts';
import type { StatusListRepository } from '../store/status-list-repository.ts';
import { renderCertificatePage } from '../web/certificate-page.tsx';
import { renderCredentialGonePage, renderCredentialNotFoundPage } from '../web/credential-gone-page.tsx';
import { renderCredentialPage } from '../web/credential-page.tsx';

export interface CredentialRouteDeps {
  readonly publicUrl: string;
  readonly issuer: Issuer;
  readonly awards: AwardRepository;
  readonly statusLists: StatusListRepository;
  /** Answers this tool's own documents from the database (issuance/local-documents.ts). */
  readonly documents: DocumentSource;
  readonly now?: () => Date;
}

/** Pages carry a live verdict, so CDNs keep them briefly; credential bytes never change but may be withdrawn by the holder. */
const PAGE_CACHE = 'public, max-age=60';
const DOCUMENT_CACHE = 'public, max-age=300';
export const PAGE_CSP = "default-src 'self'; img-src 'self' data: https:; base-uri 'none'; form-action 'self'; object-src 'none'";

const MEDIA = { jwt: 'application/vc+jwt', ld: 'application/vc+ld+json', json: 'application/json', html: 'text/html' } as const;

export function credentialRoutes(deps: CredentialRouteDeps): Router {
  const router = Router();

  const load = async (req: Request, res: Response): Promise<Extract<PublicCredential, { state: 'public' }> | undefined> => {
    const found = await loadPublicCredential(deps.awards, String(req.params.id));
    if (found.state === 'public') return found;
    const status = found.state === 'hidden' ? 410 : 404;
    res.status(status).set('Cache-Control', PAGE_CACHE).vary('Accept');
    if (req.accepts([MEDIA.html, MEDIA.jwt, MEDIA.ld, MEDIA.json]) === MEDIA.html) {
      sendHtml(res.status(status), found.state === 'hidden' ? renderCredentialGonePage() : renderCredentialNotFoundPage(), PAGE_CACHE);
    } else {
      res.json(found.state === 'hidden' ? { error: 'withdrawn', message: 'The holder has withdrawn this credential from public view.' } : { error: 'not_found', message: 'There is no credential at this address.' });
    }
    return undefined;
  };

  router.get('/credentials/:id', async (req, res) => {
    const found = await load(req, res);
    if (!found) return;
    res.vary('Accept');
    const wanted = req.accepts([MEDIA.html, MEDIA.jwt, MEDIA.ld, MEDIA.json]);
    if (wanted === MEDIA.jwt) return sendJwt(res, found.record.jwt);
    if (wanted === MEDIA.ld || wanted === MEDIA.json) return sendCredentialJson(res, found.credential, wanted);
    const report = await verifyStoredCredential(found.record.jwt, deps.documents, deps.now);
    const url = `${deps.publicUrl}/credentials/${found.record.id}`;
    const html = renderCredentialPage({
      id: found.record.id,
      url,
      eu: found.eu,
      description: typeof found.credential.description === 'string' ? found.credential.description : undefined,
      report,
      linkedInUrl: linkedInAddToProfileUrl({
        name: found.eu.title ?? 'Micro-credential',
        organizationName: found.eu.awardingBody?.name ?? deps.publicUrl,
        issuedAt: found.record.issuedAt,
        certUrl: url,
        certId: found.record.id,
      }),
      hasPngBadge: hasPngBadge(found.credential),
    });
    sendHtml(res, html, PAGE_CACHE);
  });

  router.get('/credentials/:id/credential.jwt', async (req, res) => {
    const found = await load(req, res);
    if (found) sendJwt(res, found.record.jwt);
  });

  router.get('/credentials/:id/credential.json', async (req, res) => {
    const found = await load(req, res);
    if (found) sendCredentialJson(res, found.credential, req.accepts([MEDIA.ld, MEDIA.json]) === MEDIA.json ? MEDIA.json : MEDIA.ld);
  });

  router.get('/credentials/:id/badge.svg', async (req, res) => {
    const found = await load(req, res);
    if (found) res.type('image/svg+xml').set('Cache-Control', DOCUMENT_CACHE).set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'").send(bakedBadgeSvg(found.credential, found.record.jwt));
  });

  router.get('/credentials/:id/badge.png', async (req, res) => {
    const found = await load(req, res);
    if (!found) return;
    const png = bakedBadgePng(found.credential, found.record.jwt);
    if (!png) {
      res.status(404).set('Cache-Control', DOCUMENT_CACHE).json({ error: 'no_png_badge', message: 'This micro-credential has no PNG badge image; download the SVG badge instead.' });
      return;
    }
    res.type('image/png').set('Cache-Control', DOCUMENT_CACHE).send(Buffer.from(png));
  });

  router.get('/credentials/:id/certificate', async (req, res) => {
    const found = await load(req, res);
    if (!found) return;
    const url = `${deps.publicUrl}/credentials/${found.record.id}`;
    const qrSvg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    sendHtml(res, renderCertificatePage({ id: found.record.id, url, eu: found.eu, qrSvg, revoked: found.record.revokedAt !== null }), PAGE_CACHE);
  });

  router.get('/status/:purpose/:listId', async (req, res) => {
    const { purpose, listId } = req.params;
    const list = LIST_ID_PATTERN.test(listId) ? await publishedStatusList({ statusLists: deps.statusLists, issuer: deps.issuer, publicUrl: deps.publicUrl, now: deps.now }, purpose, listId) : undefined;
    res.set('Access-Control-Allow-Origin', '*');
    if (!list) {
      res.status(404).json({ error: 'not_found', message: 'There is no status list at this address.' });
      return;
    }
    res.set('Cache-Control', `public, max-age=${STATUS_LIST_TTL_SECONDS}, must-revalidate`).set('ETag', list.etag);
    if (req.get('If-None-Match')?.split(',').some((tag) => tag.trim() === list.etag)) {
      res.status(304).end();
      return;
    }
    res.set('Content-Type', `${MEDIA.jwt}`).send(list.jwt);
  });

  return router;
}

function sendJwt(res: Response, jwt: string): void {
  res.set('Content-Type', MEDIA.jwt).set('Cache-Control', DOCUMENT_CACHE).set('Access-Control-Allow-Origin', '*').send(jwt);
}

function sendCredentialJson(res: Response, credential: Record<string, unknown>, type: string): void {
  res.set('Content-Type', `${type}; charset=utf-8`).set('Cache-Control', DOCUMENT_CACHE).set('Access-Control-Allow-Origin', '*').send(JSON.stringify(credential, null, 2));
}

export function sendHtml(res: Response, html: string, cacheControl: string): void {
  res.set('Content-Type', 'text/html; charset=utf-8').set('Cache-Control', cacheControl).set('Content-Security-Policy', PAGE_CSP).send(html);
}
