/**
 * Public badge pages of the platforms learners use today, mapped to the machine-readable document
 * each one publishes (researched from their public documentation):
 * - Credly: `www.credly.com/badges/<uuid>` (also localised `/<lang>/badges/…` and the earner's
 *   `/earner/earned/badge/<uuid>`) → the OB 2.0 hosted assertion
 *   `api.credly.com/v1/obi/v2/badge_assertions/<uuid>` (Credly "OBI Methods" documentation).
 * - Canvas Credentials / Badgr: `badgr.com/public/assertions/<id>` → `api.badgr.io/public/assertions/<id>?v=2_0`,
 *   the OB 2.0 hosted assertion; a regional server keeps its region (`eu.badgr.com` → `api.eu.badgr.io`),
 *   because an assertion is only hosted by the server that issued it.
 * - Accredible (`www.credential.net/<id>`, `*.credential.net`) and Europass digital credentials
 *   (`europa.eu/europass/…`) publish no machine-readable document we can fetch without their
 *   APIs; they are detected so the badge says plainly that they cannot be checked here.
 */
import type { Candidate, Claimed, Detector } from '../detector.ts';
import { documentOf, httpUrl, selectAll, textOf } from '../dom-query.ts';

export const id = 'badge-platform-link';

/** The URL the background worker fetches for a platform page, or the page itself when none is known. */
export function machineReadableUrl(url: URL): string | undefined {
  const host = url.hostname.toLowerCase();
  const credly = /^\/(?:[a-z]{2}(?:-[a-z]{2})?\/)?(?:badges|earner\/earned\/badge)\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\/|$)/i.exec(url.pathname);
  if ((host === 'www.credly.com' || host === 'credly.com') && credly) return `https://api.credly.com/v1/obi/v2/badge_assertions/${credly[1]!.toLowerCase()}`;
  const badgr = /^\/public\/assertions\/([A-Za-z0-9_-]{8,64})(?:\/|\.json|$)/.exec(url.pathname);
  const region = /^(?:www\.|api\.)?(?:([a-z]{2})\.)?badgr\.(?:com|io)$/.exec(host);
  if (badgr && region) return `https://api.${region[1] ? `${region[1]}.` : ''}badgr.io/public/assertions/${badgr[1]}?v=2_0`;
  if ((host === 'www.credential.net' || host.endsWith('.credential.net')) && /^\/[A-Za-z0-9_-]{6,64}\/?$/.test(url.pathname)) return url.href;
  if (host === 'europa.eu' && url.pathname.startsWith('/europass/') && /credential/i.test(url.pathname)) return url.href;
  return undefined;
}

export function detect(root: ParentNode, limits: { maxCandidates: number; maxNodes: number }, claimed?: Claimed): Candidate[] {
  const base = documentOf(root).baseURI;
  const out: Candidate[] = [];
  const selector = 'a[href*="credly.com/"], a[href*="badgr."], a[href*="credential.net/"], a[href*="europa.eu/europass/"]';
  for (const link of selectAll(root, selector, limits.maxNodes)) {
    if (out.length >= limits.maxCandidates) break;
    if (claimed?.(link)) continue;
    const url = httpUrl(link.getAttribute('href'), base);
    const target = url && machineReadableUrl(url);
    if (!target) continue;
    // Credly's and Badgr's documents are OB 2.0 hosted assertions; the others are their own pages.
    const hostedOb2 = target !== url.href;
    out.push({ detector: id, element: link, anchor: link, source: { kind: 'url', url: target, ...(hostedOb2 ? { hostedOb2 } : {}) }, label: textOf(link, 120) || url.href });
  }
  return out;
}

export const detector: Detector = { id, detect };
