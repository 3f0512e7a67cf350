/**
 * The verdict in words. "Verified, trusted issuer" when the issuer is on the user's lists; an
 * invalid credential says "Invalid signature" only when the signature is what failed (a hosted
 * Open Badges 2.0 assertion served from the wrong domain, a malformed credential or an unusable
 * issuer key is "Invalid credential", and the card says why).
 */
import type { CredentialView, ShownVerdict } from '../protocol.ts';
import { t } from './i18n.ts';
import { VERDICT_STYLES } from './verdict-style.ts';

export type VerdictWordsOf = Pick<CredentialView, 'trusted' | 'failedCode'> & { readonly verdict: ShownVerdict };

/** Every message key a verdict can be shown with (the badge words the worker sends name exactly these). */
export const VERDICT_MESSAGE_KEYS: readonly string[] = [...Object.values(VERDICT_STYLES).map((s) => s.messageKey), 'verdict_verified_trusted', 'verdict_invalid_credential'];

/** Failure codes that mean the signed bytes and the signature disagree (SD-JWT disclosures are signed digests). */
const SIGNATURE_FAILURE = /^(signature|sd-jwt)\./;

export function verdictMessageKey(view: VerdictWordsOf): string {
  if (view.verdict === 'verified' && view.trusted) return 'verdict_verified_trusted';
  if (view.verdict === 'invalid' && view.failedCode !== undefined && !SIGNATURE_FAILURE.test(view.failedCode)) return 'verdict_invalid_credential';
  return VERDICT_STYLES[view.verdict].messageKey;
}

export function verdictText(view: VerdictWordsOf): string {
  return t(verdictMessageKey(view));
}
