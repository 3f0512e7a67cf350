/** VC-JOSE-COSE §3.1–3.2 and VC Data Integrity §4.5: the issuer's key signed exactly this credential (for SD-JWTs, its issuer-signed JWT). */
import { verifyVcJwtSignature } from '../../crypto/vc-jwt.ts';
import type { Check, CheckOutcome, ParsedCredential } from '../types.ts';
import { verifyDataIntegrityProof } from '../data-integrity.ts';

export const signatureCheck: Check = {
  id: 'signature',
  name: 'Signature',
  fatal: true,
  async execute(ctx): Promise<CheckOutcome> {
    const parsed = ctx.parsed as ParsedCredential;
    const key = ctx.issuerKey;
    if (!key && ctx.options.offline) {
      return { status: 'skipped', code: 'signature.not-checked-offline', message: "Not checked: without the issuer's keys the signature cannot be checked offline." };
    }
    if (!key) return { status: 'failed', code: 'signature.no-key', message: 'No issuer key was found to check the signature with.' };
    if (!parsed.jwt) return verifyDataIntegrityProof(parsed.credential, key, ctx.options.contextSource, ctx.options.dataIntegrity);
    const result = await verifyVcJwtSignature(parsed.jwt.compact, key.jwk, { mediaType: parsed.format === 'vc-sd-jwt' ? 'vc+sd-jwt' : 'vc+jwt' });
    if (!result.ok) {
      return { status: 'failed', code: result.code, message: signatureMessage(result.code), detail: result.message };
    }
    return { status: 'passed', code: 'signature.valid', message: 'The signature is valid: the credential has not been changed since the issuer signed it.' };
  },
};

function signatureMessage(code: string): string {
  if (code === 'signature.alg-none') return 'The credential is not signed (algorithm "none").';
  if (code === 'signature.alg-mismatch') return "The credential claims a signature algorithm that does not fit the issuer's key; it was not signed by that key.";
  return 'The signature does not match: the credential was changed after signing or was not signed by this issuer.';
}
