/**
 * Badge images that may carry a baked credential (OB 3.0 §5.3: PNG iTXt `openbadgecredential`,
 * SVG `<openbadges:credential>`; OB 2.0: `openbadges` / `<openbadges:assertion>`). The page only
 * shows pixels, so candidates are PNG or SVG images that present themselves as badges (alt, title,
 * file name, or an explicit `data-openbadge` marker); the background worker fetches the bytes and
 * reads them with shared/baking, with a size cap.
 */
import type { Candidate, Detector } from '../detector.ts';
import { documentOf, foldText, httpUrl, selectAll } from '../dom-query.ts';

export const id = 'baked-badge-image';
const BADGE_WORDS = /\b(open ?badges?|badges?|micro-?credentials?|credentials?|certificates?|zertifikate?|abzeichen|certificats?|nachweis)\b/;

export function detect(root: ParentNode, limits: { maxCandidates: number; maxNodes: number }): Candidate[] {
  const base = documentOf(root).baseURI;
  const out: Candidate[] = [];
  for (const img of selectAll(root, 'img[src]', limits.maxNodes)) {
    if (out.length >= limits.maxCandidates) break;
    const url = httpUrl(img.getAttribute('src'), base);
    if (!url || !/\.(png|svg)$/i.test(url.pathname)) continue;
    const alt = img.getAttribute('alt') ?? '';
    const words = foldText(`${alt} ${img.getAttribute('title') ?? ''} ${safeDecode(url.pathname.split('/').pop() ?? '').replace(/[-_.]/g, ' ')}`);
    if (!img.hasAttribute('data-openbadge') && !BADGE_WORDS.test(words)) continue;
    out.push({ detector: id, element: img, anchor: img, source: { kind: 'image', url: url.href }, label: alt.slice(0, 120) || url.pathname.split('/').pop() || 'Badge image' });
  }
  return out;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export const detector: Detector = { id, detect };
