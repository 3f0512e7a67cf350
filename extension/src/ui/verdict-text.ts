/** The verdict in words: "Verified, trusted issuer" when the issuer is on the user's lists. */
import type { CredentialView, ShownVerdict } from '../protocol.ts';
import { t } from './i18n.ts';
import { VERDICT_STYLES } from './verdict-style.ts';

export function verdictText(view: Pick<CredentialView, 'verdict' | 'trusted'> | { verdict: ShownVerdict; trusted?: boolean }): string {
  if (view.verdict === 'verified' && view.trusted) return t('verdict_verified_trusted');
  return t(VERDICT_STYLES[view.verdict].messageKey);
}
