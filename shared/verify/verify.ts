/**
 * The verification pipeline: parse the input, run the checks in order, and sum them up in one
 * report. Runs unchanged in Node and in the extension's service worker (fetch and clock injected).
 */
import { issuerIdOf, issuerNameOf } from './credential-fields.ts';
import { containedCredentialsCheck } from './checks/contained-credentials.ts';
import { euCompletenessCheck } from './checks/eu-completeness.ts';
import { formatCheck } from './checks/format.ts';
import { holderBindingCheck } from './checks/holder-binding.ts';
import { issuerKeyCheck } from './checks/issuer-key.ts';
import { issuerTrustCheck } from './checks/issuer-trust.ts';
import { recipientCheck } from './checks/recipient.ts';
import { OB2_CHECKS } from '../ob2/verify-ob2.ts';
import { signatureCheck } from './checks/signature.ts';
import { statusCheck } from './checks/status.ts';
import { validityWindowCheck } from './checks/validity-window.ts';
import { parseCredential } from './parse-input.ts';
import { runChecks } from './run-checks.ts';
import type { Check, ParsedCredential, VerificationReport, VerifyContext, VerifyOptions } from './types.ts';
import { isVerified, summaryOf, verdictOf } from './verdict.ts';

/** The checks, in the order they run. */
export const CHECKS: readonly Check[] = [formatCheck, issuerKeyCheck, signatureCheck, holderBindingCheck, validityWindowCheck, statusCheck, recipientCheck, containedCredentialsCheck, euCompletenessCheck, issuerTrustCheck];

export async function verifyCredential(input: string | Uint8Array | Record<string, unknown>, options: VerifyOptions): Promise<VerificationReport> {
  const parsed = parseCredential(input, options.maxInputBytes);
  if (parsed.ok) return verifyParsed(parsed.parsed, options);
  const checks = await runChecks(CHECKS, { options, now: options.now?.() ?? new Date() });
  checks[0] = { ...checks[0]!, code: parsed.code, message: parsed.message, ...(parsed.detail ? { detail: parsed.detail } : {}) };
  return { verified: false, verdict: 'invalid', summary: parsed.message, checks };
}

/** For callers that parsed the input themselves (to tell unreadable input from a failed check). */
export async function verifyParsed(parsed: ParsedCredential, options: VerifyOptions): Promise<VerificationReport> {
  const ctx: VerifyContext = { options, now: options.now?.() ?? new Date(), parsed };
  const checks = await runChecks(parsed.format === 'ob2' ? OB2_CHECKS : CHECKS, ctx);
  const verdict = verdictOf(checks);
  // OB 2.0 checks replace the assertion with the issuer's copy and attach its Issuer profile.
  const credential = (ctx.parsed ?? parsed).credential;
  const issuerId = issuerIdOf(credential);
  const issuerName = issuerNameOf(credential);
  return {
    verified: isVerified(verdict),
    verdict,
    summary: summaryOf(verdict),
    checks,
    format: parsed.format,
    credential,
    ...(issuerId ? { issuer: issuerName ? { id: issuerId, name: issuerName } : { id: issuerId } } : {}),
    ...(ctx.eu ? { eu: ctx.eu } : {}),
    ...(ctx.inner ? { inner: ctx.inner } : {}),
    ...(parsed.baked ? { baked: parsed.baked } : {}),
  };
}
