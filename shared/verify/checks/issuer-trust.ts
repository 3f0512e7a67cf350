/**
 * Issuer trust: a valid signature proves who signed, not that the signer is a recognised awarding
 * body. The caller supplies the issuers it trusts; without a list the check says so instead of
 * guessing.
 */
import { issuerIdOf } from '../credential-fields.ts';
import type { Check, CheckOutcome, ParsedCredential } from '../types.ts';

export const issuerTrustCheck: Check = {
  id: 'issuer-trust',
  name: 'Trusted issuer',
  fatal: false,
  async execute(ctx): Promise<CheckOutcome> {
    const lists = ctx.options.trustedIssuers;
    if (lists === undefined) {
      return { status: 'skipped', code: 'trust.not-checked', message: 'No trusted-issuer list was given, so whether this issuer is recognised was not checked.' };
    }
    const issuerId = issuerIdOf((ctx.parsed as ParsedCredential).credential) as string;
    const match = lists.find((entry) => entry.id === issuerId);
    if (match) {
      return { status: 'passed', code: 'trust.listed', message: `The issuer is on a trusted list${match.name ? ` as ${match.name}` : ''}.` };
    }
    return { status: 'warning', code: 'trust.not-listed', message: 'The issuer is not on any of the trusted lists.', detail: issuerId };
  },
};
