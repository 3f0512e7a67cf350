/** Open Badges 2.0 "Verification": the assertion is not used before `issuedOn` or after `expires` (clock skew allowed). */
import { DEFAULT_CLOCK_SKEW_SECONDS } from '../../verify/checks/validity-window.ts';
import { OB2_NOT_LOADED } from '../load-assertion.ts';
import type { Check, CheckOutcome } from '../../verify/types.ts';

export const ob2ExpiryCheck: Check = {
  id: 'validity-window',
  name: 'Validity period',
  fatal: false,
  async execute(ctx): Promise<CheckOutcome> {
    if (!ctx.ob2) return OB2_NOT_LOADED;
    const { assertion } = ctx.ob2!;
    const skewMs = (ctx.options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS) * 1000;
    const issued = dateOf(assertion.issuedOn);
    const expires = assertion.expires === undefined ? undefined : dateOf(assertion.expires);
    if (!issued || expires === null) return { status: 'failed', code: 'validity.bad-date', message: 'The badge carries a date that cannot be read.' };
    const now = ctx.now.getTime();
    if (now + skewMs < issued.getTime()) return { status: 'failed', code: 'validity.not-yet-valid', message: `The badge is dated in the future (${day(issued)}).` };
    if (expires && now - skewMs >= expires.getTime()) return { status: 'failed', code: 'validity.expired', message: `The badge expired on ${day(expires)}.` };
    return { status: 'passed', code: 'validity.ok', message: expires ? `Issued ${day(issued)}, valid until ${day(expires)}.` : `Issued ${day(issued)}, with no expiry date.` };
  },
};

/** OB 2.0 DateTime: ISO 8601, or (OB 1.x) Unix seconds. */
function dateOf(value: unknown): Date | null {
  const date = typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(/^\d+$/.test(value) ? Number(value) * 1000 : value) : null;
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}
