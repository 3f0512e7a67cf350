/**
 * The shape every detector in ./detectors/ has (after refined-github's one-feature-per-file and
 * github-url-detection's self-describing detectors): an id equal to its file name, and a pure
 * `detect` that reads a subtree of the page and returns candidates. Detectors never fetch, never
 * write to the page and never interpret page text as markup or code.
 */
import type { CandidateSource } from '../protocol.ts';

export interface ScanLimits {
  /** Most candidates one detector returns from one subtree. */
  readonly maxCandidates: number;
  /** Largest text (embedded JSON, a text node) a detector looks into, in characters. */
  readonly maxTextChars: number;
  /** Most elements or text nodes a detector walks in one subtree. */
  readonly maxNodes: number;
}

export const DEFAULT_LIMITS: ScanLimits = { maxCandidates: 100, maxTextChars: 64 * 1024, maxNodes: 20_000 };

export interface Candidate {
  readonly detector: string;
  /** The element the candidate was read from; processed once per page. */
  readonly element: Element;
  /** The badge is placed right after this element. */
  readonly anchor: Element;
  readonly source: CandidateSource;
  /** What the page calls it (link text, certification name), for the popup. */
  readonly label: string;
}

/** True for an element an earlier detector already made a candidate of: a detector may skip it unread. */
export type Claimed = (element: Element) => boolean;

export interface Detector {
  readonly id: string;
  detect(root: ParentNode, limits: ScanLimits, claimed?: Claimed): Candidate[];
}
