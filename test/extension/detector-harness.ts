/** Bundled (IIFE) into fixture pages by detectors.test.ts: runs the real detectors and scanner on the real DOM. */
import { DETECTORS } from '../../extension/src/content/detector-registry.ts';
import { DEFAULT_LIMITS } from '../../extension/src/content/detector.ts';
import { readProfileName } from '../../extension/src/content/profile-name.ts';
import { createScanner } from '../../extension/src/content/scanner.ts';

const scanner = createScanner(DETECTORS, DEFAULT_LIMITS);

Object.assign(globalThis, {
  microcredDetect() {
    return DETECTORS.map((detector) => ({
      id: detector.id,
      found: detector.detect(document, DEFAULT_LIMITS).map((c) => ({ source: c.source, label: c.label, anchor: c.anchor.tagName.toLowerCase() })),
    }));
  },
  microcredProfileName() {
    return readProfileName(document) ?? null;
  },
  microcredScan(selector?: string) {
    const root = selector ? document.querySelector(selector) : document;
    return root ? scanner.scan(root).map((c) => ({ detector: c.detector, key: c.key, label: c.label })) : [];
  },
});
