/** Each verdict's colour, icon and message key: never colour alone (WCAG 1.4.1), always an icon and words too. */
import type { ShownVerdict } from '../protocol.ts';

export interface VerdictStyle {
  readonly colour: string;
  readonly icon: string;
  readonly messageKey: string;
}

export const VERDICT_STYLES: Readonly<Record<ShownVerdict, VerdictStyle>> = {
  verified: { colour: '#1a7f37', icon: '✓', messageKey: 'verdict_verified' },
  untrusted: { colour: '#7d4e00', icon: '✓?', messageKey: 'verdict_untrusted' },
  incomplete: { colour: '#7d4e00', icon: '!', messageKey: 'verdict_incomplete' },
  revoked: { colour: '#b3261e', icon: '⊘', messageKey: 'verdict_revoked' },
  // Suspended looks like revoked (do not rely on it) but keeps its own words.
  suspended: { colour: '#b3261e', icon: '⊘', messageKey: 'verdict_suspended' },
  expired: { colour: '#5c4b3b', icon: '⌛', messageKey: 'verdict_expired' },
  invalid: { colour: '#b3261e', icon: '✗', messageKey: 'verdict_invalid' },
  unverifiable: { colour: '#4f5b66', icon: '?', messageKey: 'verdict_unverifiable' },
  pending: { colour: '#4f5b66', icon: '…', messageKey: 'verdict_pending' },
};
