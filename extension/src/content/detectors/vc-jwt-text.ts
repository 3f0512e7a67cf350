/**
 * Compact VC-JWTs (VC-JOSE-COSE §3.1.1) pasted into the page's text: portfolio pages, code
 * blocks, READMEs. A token counts when its protected header says `typ: vc+jwt` (or the older
 * `vc+ld+json+jwt`), or when its payload carries a credential type or a VC 1.1 `vc` claim.
 * Only text nodes long enough to hold a token and containing "eyJ" are looked at: the browser's
 * XPath engine finds them natively (walking every text node of a page in script cost more than the
 * rest of the scan), at most `maxNodes` of them; scripts, styles and form fields are skipped (what
 * the user types is not the page's claim).
 */
import type { Candidate, Detector } from '../detector.ts';
import { textOf } from '../dom-query.ts';

export const id = 'vc-jwt-text';
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/g;
/** Text nodes under the root (or the root itself) that could hold a token: the shortest JWT the pattern accepts is 60 characters. */
const CANDIDATE_TEXT = "descendant-or-self::text()[contains(., 'eyJ')][string-length(.) >= 60]";
const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'INPUT', 'SELECT', 'OPTION', 'TEXTAREA']);

export function detect(root: ParentNode, limits: { maxCandidates: number; maxNodes: number; maxTextChars: number }): Candidate[] {
  const out: Candidate[] = [];
  const doc = (root as Node).nodeType === 9 ? (root as Document) : (root as Node).ownerDocument!;
  const texts = doc.evaluate(CANDIDATE_TEXT, root as Node, null, 5 /* XPathResult.ORDERED_NODE_ITERATOR_TYPE */, null);
  let visited = 0;
  for (let node = texts.iterateNext(); node && visited < limits.maxNodes; node = texts.iterateNext(), visited++) {
    const text = (node as Text).data;
    const parent = node.parentElement;
    if (!parent || SKIP.has(parent.tagName) || parent.closest('script, style, noscript, template')) continue;
    for (const match of text.slice(0, limits.maxTextChars).matchAll(JWT)) {
      if (out.length >= limits.maxCandidates) return out;
      if (!looksLikeCredential(match[0])) continue;
      out.push({ detector: id, element: parent, anchor: parent, source: { kind: 'inline', text: match[0] }, label: textOf(parent.closest('figure, section, article, li, div') ?? parent, 60) });
    }
  }
  return out;
}

function looksLikeCredential(jwt: string): boolean {
  const [header, payload] = jwt.split('.') as [string, string];
  const head = decodeSegment(header, 2048);
  if (head && (head.typ === 'vc+jwt' || head.typ === 'vc+ld+json+jwt' || head.cty === 'vc+ld+json')) return true;
  const body = decodeSegment(payload, 256 * 1024);
  if (!body) return false;
  const types = Array.isArray(body.type) ? body.type : [body.type];
  return types.includes('VerifiableCredential') || (typeof body.vc === 'object' && body.vc !== null);
}

function decodeSegment(segment: string, maxChars: number): Record<string, unknown> | undefined {
  if (segment.length > maxChars) return undefined;
  try {
    const binary = atob(segment.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(segment.length / 4) * 4, '='));
    const value: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export const detector: Detector = { id, detect };
