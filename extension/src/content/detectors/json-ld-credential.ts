/**
 * JSON-LD blocks (`<script type="application/ld+json">`, the schema.org way of publishing data)
 * that hold a Verifiable Credential (VC Data Model 2.0 §4.5: `type` includes
 * "VerifiableCredential"), at the top level, in an array, or in `@graph`.
 */
import type { Candidate, Detector } from '../detector.ts';
import { documentOf, pageAnchor, selectAll } from '../dom-query.ts';

export const id = 'json-ld-credential';

export function detect(root: ParentNode, limits: { maxCandidates: number; maxNodes: number; maxTextChars: number }): Candidate[] {
  const doc = documentOf(root);
  const out: Candidate[] = [];
  for (const script of selectAll(root, 'script[type="application/ld+json"]', limits.maxNodes)) {
    const text = script.textContent ?? '';
    // Cheap test before parsing: most JSON-LD on the web is schema.org metadata, not credentials.
    if (text.length > limits.maxTextChars || !text.includes('VerifiableCredential')) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      continue;
    }
    const anchor = script.closest('head') ? pageAnchor(doc) : (script.previousElementSibling ?? script.parentElement ?? undefined);
    if (!anchor) continue;
    for (const credential of credentialsIn(value)) {
      if (out.length >= limits.maxCandidates) return out;
      const name = typeof credential.name === 'string' ? credential.name.slice(0, 120) : '';
      out.push({ detector: id, element: script, anchor, source: { kind: 'inline', text: JSON.stringify(credential) }, label: name || doc.title.slice(0, 120) || 'Embedded credential' });
    }
  }
  return out;
}

function credentialsIn(value: unknown): Record<string, unknown>[] {
  const items = Array.isArray(value) ? value : isObject(value) && Array.isArray(value['@graph']) ? (value['@graph'] as unknown[]) : [value];
  return items.slice(0, 20).filter((item): item is Record<string, unknown> => isObject(item) && isCredential(item));
}

function isCredential(item: Record<string, unknown>): boolean {
  const types = Array.isArray(item.type) ? item.type : Array.isArray(item['@type']) ? item['@type'] : [item.type ?? item['@type']];
  return types.includes('VerifiableCredential');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const detector: Detector = { id, detect };
