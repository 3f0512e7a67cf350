/** VC-JOSE-COSE §3.3 / OB 3.0 §8.2.4: find the issuer's public key named by the proof, and make sure it is the issuer's. */
import type { JWK } from 'jose';
import { resolveIssuerKey } from '../../crypto/resolve-issuer-key.ts';
import { issuerIdOf } from '../credential-fields.ts';
import { isObject } from '../parse-input.ts';
import type { Check, CheckOutcome, ParsedCredential } from '../types.ts';

export const issuerKeyCheck: Check = {
  id: 'issuer-key',
  name: 'Issuer key',
  fatal: true,
  async execute(ctx): Promise<CheckOutcome> {
    const parsed = ctx.parsed as ParsedCredential;
    const issuerId = issuerIdOf(parsed.credential) as string;
    const kid = keyIdOf(parsed);
    const headerJwk = parsed.jwt && isObject(parsed.jwt.header.jwk) ? (parsed.jwt.header.jwk as JWK) : undefined;
    const resolved = await resolveIssuerKey({ kid, issuerId, documents: ctx.options.documents, ...(headerJwk ? { headerJwk } : {}) });
    if (!resolved.ok) {
      const unreachable = resolved.code === 'key.unresolvable';
      if (unreachable && ctx.options.offline) {
        return { status: 'skipped', code: 'key.not-checked-offline', message: "Not checked: the issuer's keys are not in the documents given, and nothing is fetched offline.", ...(resolved.detail ? { detail: resolved.detail } : {}) };
      }
      return {
        status: 'failed',
        code: resolved.code,
        message: unreachable ? `The issuer's keys could not be fetched, so the signature cannot be checked. ${resolved.message}` : resolved.message,
        ...(resolved.detail ? { detail: resolved.detail } : {}),
      };
    }
    ctx.issuerKey = { kid: resolved.kid, jwk: resolved.jwk, controller: resolved.controller };
    return { status: 'passed', code: 'key.resolved', message: `The signing key belongs to the issuer ${issuerId}.`, detail: resolved.kid };
  },
};

function keyIdOf(parsed: ParsedCredential): string | undefined {
  if (parsed.jwt) return typeof parsed.jwt.header.kid === 'string' ? parsed.jwt.header.kid : undefined;
  const proof = Array.isArray(parsed.credential.proof) ? parsed.credential.proof[0] : parsed.credential.proof;
  return isObject(proof) && typeof proof.verificationMethod === 'string' ? proof.verificationMethod : undefined;
}
