/** Open Badges 2.0 "Verification" step 1: the assertion, its BadgeClass and Issuer are at hand and well formed. */
import type { Check, CheckOutcome, ParsedCredential } from '../../verify/types.ts';
import { loadOb2Documents } from '../load-assertion.ts';

export const ob2AssertionCheck: Check = {
  id: 'format',
  name: 'Badge format',
  fatal: true,
  async execute(ctx): Promise<CheckOutcome> {
    const parsed = ctx.parsed as ParsedCredential;
    const loaded = await loadOb2Documents({ assertion: parsed.credential, ...(parsed.ob2?.url ? { url: parsed.ob2.url } : {}), documents: ctx.options.documents });
    if (!loaded.ok) {
      if (loaded.unreachable && ctx.options.offline) return { status: 'skipped', code: 'ob2.not-checked-offline', message: 'Not checked: the badge documents are not in the documents given, and nothing is fetched offline.', detail: loaded.message };
      if (loaded.gone) ctx.statusFlags = { ...ctx.statusFlags, revoked: true };
      return { status: 'failed', code: loaded.code, message: loaded.message };
    }
    ctx.ob2 = { assertion: loaded.assertion, badge: loaded.badge, issuer: loaded.issuer };
    // Later checks (trust, report) read the issuer as they do for OB 3.0 credentials.
    ctx.parsed = { ...parsed, credential: { ...loaded.assertion, issuer: loaded.issuer, name: loaded.badge.name } };
    return { status: 'passed', code: 'ob2.format', message: parsed.ob2?.jws ? 'An Open Badges 2.0 signed badge.' : 'An Open Badges 2.0 hosted badge.' };
  },
};
