/** From check results to the one verdict the pages and the extension show, most serious first. */
import type { CheckResult, Verdict } from './types.ts';

const UNCHECKABLE = new Set([
  'key.unresolvable',
  'status.unreachable',
  'status.list-unreadable',
  'status.list-issuer-differs',
  'status.list-invalid',
  'key.not-checked-offline',
  'signature.not-checked-offline',
  'signature.proof-check-unavailable',
  'status.not-checked-offline',
  'ob2.not-checked-offline',
  'ob2.assertion-unreachable',
  'ob2.linked-unreachable',
  'status.unsupported-type',
]);

export function verdictOf(checks: readonly CheckResult[]): Verdict {
  const failed = (id: string) => checks.find((c) => c.id === id && c.status === 'failed');
  const uncheckable = checks.some((c) => c.status !== 'passed' && UNCHECKABLE.has(c.code));
  const keyFailure = failed('issuer-key') ?? failed('signature');
  if (keyFailure && UNCHECKABLE.has(keyFailure.code)) return 'unverifiable';
  const formatFailure = failed('format');
  if (formatFailure?.code === 'ob2.assertion-gone' || failed('signature')?.code === 'status.revoked') return 'revoked';
  if (formatFailure && UNCHECKABLE.has(formatFailure.code)) return 'unverifiable';
  if (failed('format') || keyFailure || failed('signature') || failed('validity-window')?.code === 'validity.bad-date') return 'invalid';
  const status = failed('status');
  if (status?.code === 'status.revoked') return 'revoked';
  if (status?.code === 'status.suspended') return 'suspended';
  if (status) return 'invalid';
  const validity = failed('validity-window');
  if (validity) return validity.code === 'validity.expired' ? 'expired' : 'invalid';
  if (uncheckable) return 'unverifiable';
  if (checks.some((c) => c.status === 'failed')) return 'invalid';
  if (checks.some((c) => c.id === 'issuer-trust' && c.status === 'warning')) return 'untrusted';
  if (checks.some((c) => c.id === 'eu-completeness' && c.status === 'warning')) return 'incomplete';
  return 'verified';
}

/** Verified means authentic, unrevoked, in its validity period and checkable; untrusted or incomplete ones still are. */
export function isVerified(verdict: Verdict): boolean {
  return verdict === 'verified' || verdict === 'untrusted' || verdict === 'incomplete';
}

const SUMMARIES: Record<Verdict, string> = {
  verified: 'Verified: signed by the issuer, unchanged, and valid today.',
  untrusted: 'Authentic, but the issuer is not on your trusted lists.',
  incomplete: 'Authentic, but some mandatory EU micro-credential elements are missing.',
  revoked: 'Revoked by the issuer.',
  suspended: 'Suspended by the issuer.',
  expired: 'Expired.',
  invalid: 'Not valid: this credential failed verification.',
  unverifiable: 'Not checkable right now: the issuer’s keys or status could not be reached.',
};

export function summaryOf(verdict: Verdict): string {
  return SUMMARIES[verdict];
}
