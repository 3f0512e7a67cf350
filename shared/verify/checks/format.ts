/** VC Data Model 2.0 §4 and VC-JOSE-COSE §3.1–3.2: the credential has the members a verifier relies on. */
import { issuerIdOf, typesOf } from '../credential-fields.ts';
import { isObject } from '../parse-input.ts';
import type { Check, CheckOutcome, CredentialFormat, ParsedCredential } from '../types.ts';

const VC_V2 = 'https://www.w3.org/ns/credentials/v2';
const VC_V1 = 'https://www.w3.org/2018/credentials/v1';

export const formatCheck: Check = {
  id: 'format',
  name: 'Credential format',
  fatal: true,
  async execute(ctx): Promise<CheckOutcome> {
    const parsed = ctx.parsed;
    if (!parsed) return { status: 'failed', code: 'format.unreadable', message: 'The credential could not be read.' };
    const credential = parsed.credential;
    const contexts = typesOf(credential['@context']);
    if (contexts[0] !== VC_V2 && contexts[0] !== VC_V1) {
      return failed('format.context', 'This is not a W3C Verifiable Credential: its first @context is not the VC context.', `@context[0] = ${JSON.stringify(contexts[0])}`);
    }
    if (!typesOf(credential.type).includes('VerifiableCredential')) {
      return failed('format.type', 'This is not a Verifiable Credential: its type does not include VerifiableCredential.');
    }
    const issuerId = issuerIdOf(credential);
    if (!issuerId) return failed('format.issuer', 'The credential does not name its issuer.');
    if (credential.credentialSubject === undefined) return failed('format.subject', 'The credential has no subject.');
    if (contexts[0] === VC_V2 && typeof credential.validFrom !== 'string') {
      return failed('format.valid-from', 'The credential has no issuance date (validFrom).');
    }
    if (contexts[0] === VC_V1 && typeof credential.issuanceDate !== 'string') {
      return failed('format.issuance-date', 'The credential has no issuance date (issuanceDate, required by VC 1.1).');
    }
    if (parsed.jwt) {
      const jwtProblem = checkJwtClaims(parsed.jwt.header, parsed.jwt.payload, issuerId, credential, parsed.format);
      if (jwtProblem) return jwtProblem;
    }
    return { status: 'passed', code: 'format.ok', message: describeFormat(parsed) };
  },
};

function checkJwtClaims(header: Record<string, unknown>, payload: Record<string, unknown>, issuerId: string, credential: Record<string, unknown>, format: CredentialFormat): CheckOutcome | undefined {
  const isV2 = format !== 'vc-jwt-v1';
  if (isV2) {
    // VC-JOSE-COSE §3.1.1 types a VC-JWT vc+jwt, §3.2 an SD-JWT credential vc+sd-jwt.
    const mediaType = format === 'vc-sd-jwt' ? 'vc+sd-jwt' : 'vc+jwt';
    if (header.typ !== undefined && header.typ !== mediaType && header.typ !== `application/${mediaType}`) {
      return failed('format.typ', `The token is typed "${String(header.typ)}", not a credential (${mediaType}).`);
    }
    if ('vc' in payload || 'vp' in payload) {
      return failed('format.vc-claim', 'A VC 2.0 token must not also carry a vc or vp claim (VC-JOSE-COSE).');
    }
  }
  if (payload.iss !== undefined && payload.iss !== issuerId) {
    return failed('format.iss-mismatch', 'The token is signed in the name of another issuer than the credential names.', `iss ${String(payload.iss)} ≠ issuer ${issuerId}`);
  }
  if (payload.jti !== undefined && credential.id !== undefined && payload.jti !== credential.id) {
    return failed('format.jti-mismatch', 'The token id does not match the credential id.', `jti ${String(payload.jti)} ≠ id ${String(credential.id)}`);
  }
  const subjectId = isObject(credential.credentialSubject) ? credential.credentialSubject.id : undefined;
  if (payload.sub !== undefined && subjectId !== undefined && payload.sub !== subjectId) {
    return failed('format.sub-mismatch', 'The token names another holder (sub) than the credential subject.', `sub ${String(payload.sub)} ≠ ${String(subjectId)}`);
  }
  if (!isV2) {
    // VC 1.1 §6.3.1: nbf and exp encode issuanceDate and expirationDate; to the second they must agree.
    if (!sameSecond(payload.nbf, credential.issuanceDate)) return failed('format.nbf-mismatch', 'The token’s not-before time (nbf) differs from the credential’s issuance date.');
    if (!sameSecond(payload.exp, credential.expirationDate)) return failed('format.exp-mismatch', 'The token’s expiry (exp) differs from the credential’s expiration date.');
  }
  return undefined;
}

/** True when either is absent or both denote the same second. */
function sameSecond(seconds: unknown, date: unknown): boolean {
  if (seconds === undefined || date === undefined) return true;
  return typeof seconds === 'number' && typeof date === 'string' && Math.floor(Date.parse(date) / 1000) === seconds;
}

function describeFormat({ format, sdJwt }: ParsedCredential): string {
  if (format === 'vc-jwt') return 'A W3C Verifiable Credential secured as a JWT (VC-JOSE-COSE).';
  if (format === 'vc-sd-jwt') {
    const names = sdJwt?.disclosedNames ?? [];
    return `A W3C Verifiable Credential secured as an SD-JWT (VC-JOSE-COSE); the holder disclosed ${names.length === 0 ? 'no hidden claims' : names.join(', ')}.`;
  }
  if (format === 'vc-jwt-v1') return 'A W3C Verifiable Credential in the older VC 1.1 JWT encoding.';
  return 'A W3C Verifiable Credential with an embedded proof.';
}

function failed(code: string, message: string, detail?: string): CheckOutcome {
  return detail ? { status: 'failed', code, message, detail } : { status: 'failed', code, message };
}
