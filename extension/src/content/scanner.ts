/**
 * Runs every detector over a subtree and keeps what is new: a credential source is reported once
 * while it is on the page, whichever detector found it first; later detectors may skip elements
 * already claimed. Bounded: the page as a whole yields at most `maxPerPage` candidates.
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
  // Elements a candidate was read from: a link the LinkedIn entry already stands for is not read
  // again as a bare link (nor badged twice).
  const claimedElements = new WeakSet<Element>();
  const found = new Map<string, FoundCandidate>();
  const claimed = (element: Element) => claimedElements.has(element);
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
        for (const c of candidates) {
          const key = sourceKey(c.source);
          // A credential already badged is skipped while its badge is on the page; after a
          // single-page app re-renders (navigating away and back), the fresh copy is badged again.
          if (found.get(key)?.anchor.isConnected || found.size >= maxPerPage) continue;
          claimedElements.add(c.element);
          // Spelled out, not spread: one object shape for every candidate, and no copying loop.
          const entry: FoundCandidate = { detector: c.detector, element: c.element, anchor: c.anchor, source: c.source, label: c.label, key };
          found.set(key, entry);
          fresh.push(entry);
        }
      }
      return fresh;
    },
  };
}
