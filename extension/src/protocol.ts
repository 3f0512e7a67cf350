/**
 * The messages between the content script, the popup, the options page and the background worker.
 * Only plain JSON crosses these boundaries; page data travels as strings and is never interpreted
 * as markup or code on either side.
 */
import type { Verdict } from '../../shared/verify/types.ts';
import type { BadgeWords } from './ui/badge-words.ts';

/** Where a found credential lives: the background worker, not the page, fetches URLs. */
export type CandidateSource =
  /** `hostedOb2`: the URL is an Open Badges 2.0 hosted assertion (a badge platform's), whose issuer revokes it by answering 410 Gone. */
  | { readonly kind: 'url'; readonly url: string; readonly hostedOb2?: boolean }
  | { readonly kind: 'inline'; readonly text: string }
  | { readonly kind: 'image'; readonly url: string };

export type ShownVerdict = Verdict | 'pending';

/** What the badge, card, popup and report show about one credential. */
export interface CredentialView {
  readonly verdict: Verdict;
  readonly summary: string;
  /** Key of the full report kept by the background worker. */
  readonly reportKey: string;
  readonly title?: string;
  readonly issuerName?: string;
  readonly issuerId?: string;
  /** True when the issuer is on one of the user's trusted lists. */
  readonly trusted?: boolean;
  /** The code of the first check that failed (`signature.invalid`, `ob2.hosted-domain`, …): an invalid credential's badge names a bad signature only when it is one. */
  readonly failedCode?: string;
  readonly issued?: string;
  readonly learnerName?: string;
  readonly outcomes?: readonly string[];
  readonly ects?: number;
  readonly eqf?: number;
  readonly assessment?: string;
  readonly participation?: string;
  readonly qualityAssurance?: string;
  readonly checks: readonly { readonly name: string; readonly status: 'passed' | 'failed' | 'warning' | 'skipped'; readonly message: string }[];
}

/** content → background, over a long-lived port named PAGE_PORT. */
export const PAGE_PORT = 'microcred-page';
export type PagePortRequest =
  | { readonly type: 'verify'; readonly items: readonly { readonly key: string; readonly source: CandidateSource }[] }
  /** Extension pages are not web-accessible (no fingerprinting), so the worker opens the report tab. */
  | { readonly type: 'open-report'; readonly reportKey: string }
  /** A card is opening for the first time on this page: inject the card renderer (ui/card-ui-api.ts). */
  | { readonly type: 'load-card' };
/**
 * background → content. The badge words come first, as soon as the page connects (see ui/badge-words.ts);
 * verdicts follow in small batches: one message per frame rather than one per credential.
 */
export type PagePortReply =
  | { readonly type: 'words'; readonly words: BadgeWords }
  | { readonly type: 'results'; readonly items: readonly { readonly key: string; readonly view: CredentialView }[] }
  | { readonly type: 'card-ready'; readonly ok: boolean };

/** One-shot messages to the background worker (popup, options, report page). */
export type BackgroundRequest =
  | { readonly type: 'verify-text'; readonly text: string }
  | { readonly type: 'verify-image'; readonly bytes: readonly number[] }
  | { readonly type: 'check-tab'; readonly tabId: number }
  | { readonly type: 'get-report'; readonly reportKey: string }
  | { readonly type: 'sites-changed' }
  | { readonly type: 'clear-cache' };

/** popup → content script (tabs.sendMessage): what did you find? */
export type TabRequest = { readonly type: 'microcred:list' };
export interface TabFinding {
  readonly key: string;
  readonly detector: string;
  readonly label: string;
  readonly verdict: ShownVerdict;
  readonly view?: CredentialView;
}
export interface TabListReply {
  readonly profileName?: string;
  readonly findings: readonly TabFinding[];
}

/** A stable key for a source, for de-duplication on the page and in the worker. */
export function sourceKey(source: CandidateSource): string {
  if (source.kind === 'inline') return `inline:${fnv1a(source.text)}:${source.text.length}`;
  return `${source.kind}:${source.url}`;
}

/** FNV-1a 32-bit: a cheap, non-cryptographic fingerprint for de-duplicating inline text. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16);
}
