/**
 * Open Badges 2.0 "Verification": revocation. A hosted assertion is revoked when it says
 * `revoked: true` (or answers 410 Gone, caught earlier); a signed one when its id is in the
 * issuer's `revocationList` (a RevocationList of ids or `{ id, revocationReason }` entries).
 */
import { OB2_NOT_LOADED } from '../load-assertion.ts';
import type { Check, CheckOutcome } from '../../verify/types.ts';
import { idOf, isRecord } from '../assertion.ts';

export const ob2RevocationCheck: Check = {
  id: 'status',
  name: 'Revocation status',
  fatal: false,
  async execute(ctx): Promise<CheckOutcome> {
    if (!ctx.ob2) return OB2_NOT_LOADED;
    const { assertion, issuer } = ctx.ob2!;
    if (assertion.revoked === true) return revoked(ctx, typeof assertion.revocationReason === 'string' ? assertion.revocationReason : undefined);
    const listUrl = idOf(issuer.revocationList);
    if (!listUrl) return { status: 'passed', code: 'status.none', message: 'The issuer publishes no revocation list for this badge.' };
    const list = await ctx.options.documents.getJson(listUrl);
    if (!list.ok) {
      if (ctx.options.offline) return { status: 'skipped', code: 'status.not-checked-offline', message: 'Not checked: the revocation list is not in the documents given.', detail: listUrl };
      return { status: 'warning', code: 'status.unreachable', message: `The revocation status could not be checked: ${list.message}` };
    }
    if (!isRecord(list.value) || !Array.isArray(list.value.revokedAssertions)) {
      return { status: 'warning', code: 'status.list-unreadable', message: "The issuer's revocation list could not be read.", detail: listUrl };
    }
    const id = idOf(assertion);
    const entry = list.value.revokedAssertions.find((item) => (typeof item === 'string' ? item : isRecord(item) ? (item.id ?? item.uid) : undefined) === id);
    if (entry !== undefined) return revoked(ctx, isRecord(entry) && typeof entry.revocationReason === 'string' ? entry.revocationReason : undefined);
    return { status: 'passed', code: 'status.active', message: "Not revoked: the issuer's revocation list was checked just now." };
  },
};

function revoked(ctx: Parameters<Check['execute']>[0], reason: string | undefined): CheckOutcome {
  ctx.statusFlags = { ...ctx.statusFlags, revoked: true };
  return { status: 'failed', code: 'status.revoked', message: `The issuer has revoked this badge${reason ? `: ${reason}` : '.'}` };
}
