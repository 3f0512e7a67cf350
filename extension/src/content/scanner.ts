/**
 * Runs every detector over a subtree and keeps what is new: an element is processed once per page
 * and a credential source is reported once while it is on the page, whichever detector found it
 * first; later detectors may skip elements already claimed. Bounded: the page as a whole yields at most `maxPerPage` candidates.
 */
import { sourceKey } from '../protocol.ts';
import type { Candidate, Detector, ScanLimits } from './detector.ts';

export interface FoundCandidate extends Candidate {
  readonly key: string;
}

export interface Scanner {
  scan(root: ParentNode): FoundCandidate[];
  readonly found: ReadonlyMap<string, FoundCandidate>;
}

export function createScanner(detectors: readonly Detector[], limits: ScanLimits, maxPerPage = 500): Scanner {
  const seenElements = new WeakMap<Element, Set<string>>();
  const found = new Map<string, FoundCandidate>();
  // A link the LinkedIn entry already stands for is not read again as a bare link (nor badged twice).
  const claimed = (element: Element) => seenElements.has(element);
  return {
    found,
    scan(root) {
      const fresh: FoundCandidate[] = [];
      for (const detector of detectors) {
        if (found.size >= maxPerPage) break;
        let candidates: Candidate[];
        try {
          candidates = detector.detect(root, limits, claimed);
        } catch (error) {
          // A detector bug must not stop the others or the page.
          console.warn(`[microcred] detector ${detector.id} failed`, error);
          continue;
        }
        for (const candidate of candidates) {
          const done = seenElements.get(candidate.element) ?? new Set<string>();
          const key = sourceKey(candidate.source);
          // A credential already badged is skipped while its badge is on the page; after a
          // single-page app re-renders (navigating away and back), the fresh copy is badged again.
          const previous = found.get(key);
          if (done.has(key) || (previous && previous.anchor.isConnected) || found.size >= maxPerPage) continue;
          done.add(key);
          seenElements.set(candidate.element, done);
          const entry = { ...candidate, key };
          found.set(key, entry);
          fresh.push(entry);
        }
      }
      return fresh;
    },
  };
}
