/**
 * Comprehensive Learner Record 2.0 §4 (ClrCredential, ClrSubject.verifiableCredential): a CLR is a
 * signed container of credentials, and each one inside is verified in its own right — its own
 * issuer, key, signature, validity and status — with the reports nested under the container's.
 * Inner credentials may be JSON with a proof, compact VC-JWTs or EnvelopedVerifiableCredentials.
 * Nesting is one level deep and at most MAX_INNER credentials, so a hostile record cannot make the
 * verifier loop or fan out without bound.
 */
import { isObject } from '../parse-input.ts';
import type { Check, CheckOutcome, ParsedCredential, VerificationReport } from '../types.ts';

const MAX_INNER = 200;

export const containedCredentialsCheck: Check = {
  id: 'contained-credentials',
  name: 'Credentials in this record',
  fatal: false,
  async execute(ctx): Promise<CheckOutcome> {
    const inner = innerCredentialsOf((ctx.parsed as ParsedCredential).credential);
    if (inner === undefined) return { status: 'skipped', code: 'clr.not-a-container', message: 'This credential contains no other credentials.' };
    if ((ctx.options.containerDepth ?? 0) > 0) return { status: 'failed', code: 'clr.nested-too-deep', message: 'This record is nested inside another record, which is not accepted.' };
    if (inner.length > MAX_INNER) return { status: 'failed', code: 'clr.too-many', message: `This record holds ${inner.length} credentials; at most ${MAX_INNER} are checked.` };
    // Imported here: verify.ts lists this check, so a static import would be circular.
    const { verifyCredential } = await import('../verify.ts');
    const reports: VerificationReport[] = [];
    for (const item of inner) reports.push(await verifyCredential(item as string | Record<string, unknown>, { ...ctx.options, containerDepth: 1 }));
    ctx.inner = reports;
    const failedCount = reports.filter((report) => !report.verified).length;
    if (inner.length === 0) return { status: 'warning', code: 'clr.empty', message: 'This record contains no credentials.' };
    if (failedCount === 0) return { status: 'passed', code: 'clr.all-verified', message: `All ${reports.length} credentials in this record verified.` };
    return {
      status: 'failed',
      code: 'clr.inner-not-verified',
      message: `${failedCount} of ${reports.length} credentials in this record did not verify.`,
      detail: reports.map((r, i) => `${i + 1}: ${r.verdict}`).join(', '),
    };
  },
};

/** The credentials a CLR 2.0 ClrSubject holds; undefined when this is not a CLR. */
function innerCredentialsOf(credential: Record<string, unknown>): unknown[] | undefined {
  const types = Array.isArray(credential.type) ? credential.type : [credential.type];
  if (!types.includes('ClrCredential')) return undefined;
  const subject = credential.credentialSubject;
  if (!isObject(subject)) return [];
  const held = subject.verifiableCredential;
  return (Array.isArray(held) ? held : held === undefined ? [] : [held]).filter((item) => typeof item === 'string' || isObject(item));
}
