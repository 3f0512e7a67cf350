/**
 * The Open Badges 2.0 verification pipeline (OB 2.0 "Verification": hosted and signed badges),
 * with the same check shape and report as VC verification; verify.ts routes `ob2` input here.
 */
import { issuerTrustCheck } from '../verify/checks/issuer-trust.ts';
import { recipientCheck } from '../verify/checks/recipient.ts';
import type { Check } from '../verify/types.ts';
import { ob2AssertionCheck } from './checks/assertion.ts';
import { ob2ExpiryCheck } from './checks/expiry.ts';
import { ob2RevocationCheck } from './checks/revocation.ts';
import { ob2VerificationCheck } from './checks/verification.ts';

export const OB2_CHECKS: readonly Check[] = [ob2AssertionCheck, ob2VerificationCheck, ob2ExpiryCheck, ob2RevocationCheck, recipientCheck, issuerTrustCheck];
