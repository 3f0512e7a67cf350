/**
 * Links to a microcred tool's public credential page, `/credentials/:id` (the agreed public surface:
 * ids are ≥128 random bits in base64url, so at least 22 characters). The background worker asks
 * that URL for the credential itself by content negotiation (`Accept: application/vc+jwt`).
 */
import type { Candidate, Claimed, Detector } from '../detector.ts';
import { documentOf, httpUrl, selectAll, textOf } from '../dom-query.ts';

export const id = 'credential-page-link';
const CREDENTIAL_PATH = /\/credentials\/[A-Za-z0-9_-]{22,}\/?$/;

export function detect(root: ParentNode, limits: { maxCandidates: number; maxNodes: number }, claimed?: Claimed): Candidate[] {
  const base = documentOf(root).baseURI;
  const out: Candidate[] = [];
  for (const link of selectAll(root, 'a[href*="/credentials/"]', limits.maxNodes)) {
    if (out.length >= limits.maxCandidates) break;
    if (claimed?.(link)) continue;
    const url = httpUrl(link.getAttribute('href'), base);
    if (!url || !CREDENTIAL_PATH.test(url.pathname)) continue;
    out.push({ detector: id, element: link, anchor: link, source: { kind: 'url', url: `${url.origin}${url.pathname.replace(/\/$/, '')}` }, label: textOf(link, 120) || url.href });
  }
  return out;
}

export const detector: Detector = { id, detect };
