/**
 * Open Badges 2.0 "Verification" step 2: hosted badges are fetched again from their id, which must
 * lie in the issuer's allowed origins (by default the issuer id's host; the Issuer's
 * `verification.allowedOrigins` / `startsWith` may widen or narrow it); signed badges carry a JWS
 * checked with the issuer's CryptographicKey (`verification.creator`, owned by the issuer and listed
 * in its `publicKey`).
 */
import { compactVerify, importSPKI } from 'jose';
import { OB2_NOT_LOADED } from '../load-assertion.ts';
import type { Check, CheckOutcome, ParsedCredential, VerifyContext } from '../../verify/types.ts';
import { idOf, isRecord, typesOf, verificationOf, verificationTypeOf } from '../assertion.ts';

const SIGNED_ALGS = ['RS256', 'ES256', 'EdDSA'];

export const ob2VerificationCheck: Check = {
  id: 'signature',
  name: 'Badge verification',
  fatal: true,
  async execute(ctx): Promise<CheckOutcome> {
    if (!ctx.ob2) return OB2_NOT_LOADED;
    const { assertion, issuer } = ctx.ob2!;
    const parsed = ctx.parsed as ParsedCredential;
    const type = verificationTypeOf(assertion);
    if (type === 'signed') return verifySigned(parsed.ob2?.jws, parsed.jwt?.header ?? {}, assertion, issuer, ctx);
    if (type === 'hosted') return verifyHosted(assertion, issuer, ctx);
    return failed('ob2.verification-type', 'The badge names a verification method Open Badges 2.0 does not define.');
  },
};

async function verifyHosted(assertion: Record<string, unknown>, issuer: Record<string, unknown>, ctx: VerifyContext): Promise<CheckOutcome> {
  // OB 2.0: the assertion id is where it is hosted; OB 1.x assertions give that URL as verify.url.
  const legacyUrl = verificationOf(assertion)?.url;
  const id = [idOf(assertion), typeof legacyUrl === 'string' ? legacyUrl : undefined].find((url) => url !== undefined && /^https?:\/\//i.test(url));
  if (!id) return failed('ob2.hosted-id', 'A hosted badge must have an http(s) id where its issuer publishes it.');
  const policy = isRecord(issuer.verification) ? issuer.verification : {};
  const issuerHost = hostOf(idOf(issuer));
  const allowed = typesOf(policy.allowedOrigins);
  const origins = allowed.length > 0 ? allowed : issuerHost ? [issuerHost] : [];
  if (!origins.includes(hostOf(id) ?? '')) {
    return failed('ob2.hosted-domain', 'The badge is hosted on a site its issuer does not allow, so it may not come from the issuer.', `${id} is not on ${origins.join(', ') || 'any allowed origin'}`);
  }
  const prefixes = typesOf(policy.startsWith);
  if (prefixes.length > 0 && !prefixes.some((prefix) => id.startsWith(prefix))) {
    return failed('ob2.hosted-domain', 'The badge is hosted outside the paths its issuer allows.', `${id} does not start with ${prefixes.join(' or ')}`);
  }
  const fetched = await ctx.options.documents.getJson(id);
  if (!fetched.ok) {
    if (ctx.options.offline) return { status: 'skipped', code: 'ob2.not-checked-offline', message: 'Not checked: the hosted assertion is not in the documents given.', detail: id };
    if (/HTTP 410\b/.test(fetched.message)) {
      ctx.statusFlags = { ...ctx.statusFlags, revoked: true };
      return failed('status.revoked', 'The issuer has withdrawn this badge (its hosted assertion answers 410 Gone).');
    }
    return failed('key.unresolvable', `The issuer's copy of the badge could not be fetched: ${fetched.message}`);
  }
  const fetchedId = isRecord(fetched.value) ? idOf(fetched.value) : undefined;
  if (!isRecord(fetched.value) || (fetchedId !== undefined && fetchedId !== id && fetchedId !== idOf(assertion))) return failed('ob2.hosted-mismatch', 'The issuer publishes something else at this badge’s address.');
  // The issuer's hosted copy is authoritative: later checks (expiry, revocation, recipient) read it.
  ctx.ob2 = { ...ctx.ob2!, assertion: fetched.value };
  return { status: 'passed', code: 'ob2.hosted', message: 'The issuer hosts this badge at its address, on a site the issuer allows.' };
}

async function verifySigned(jws: string | undefined, header: Record<string, unknown>, assertion: Record<string, unknown>, issuer: Record<string, unknown>, ctx: VerifyContext): Promise<CheckOutcome> {
  if (!jws) return failed('ob2.signed-without-jws', 'The badge says it is signed, but no signature came with it.');
  const alg = typeof header.alg === 'string' ? header.alg : '';
  if (!SIGNED_ALGS.includes(alg)) return failed('signature.alg-mismatch', `The badge is signed with ${alg || 'no algorithm'}, which is not accepted.`);
  const creator = idOf(verificationOf(assertion)?.creator);
  const issuerId = idOf(issuer);
  const listed = Array.isArray(issuer.publicKey) ? issuer.publicKey.map(idOf) : [idOf(issuer.publicKey)];
  if (!creator || !listed.includes(creator)) return failed('key.not-issuers', "The badge's signing key is not one its issuer lists.", `creator ${String(creator)}`);
  const key = await ctx.options.documents.getJson(creator);
  if (!key.ok) {
    if (ctx.options.offline) return { status: 'skipped', code: 'key.not-checked-offline', message: "Not checked: the issuer's key is not in the documents given.", detail: creator };
    return failed('key.unresolvable', `The issuer's key could not be fetched: ${key.message}`);
  }
  if (!isRecord(key.value) || idOf(key.value.owner) !== issuerId || typeof key.value.publicKeyPem !== 'string') {
    return failed('key.not-issuers', 'The signing key is not owned by the badge issuer.', creator);
  }
  try {
    const { payload } = await compactVerify(jws, await importSPKI(key.value.publicKeyPem, alg), { algorithms: [alg] });
    const signed = JSON.parse(new TextDecoder().decode(payload)) as unknown;
    if (!isRecord(signed) || idOf(signed) !== idOf(assertion)) return failed('signature.invalid', 'The signature covers another badge.');
  } catch (error) {
    return failed('signature.invalid', 'The signature does not match: the badge was changed after signing, or another key signed it.', (error as Error).message);
  }
  return { status: 'passed', code: 'signature.valid', message: "The badge's signature is valid and made with a key its issuer lists." };
}

function hostOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).host : undefined;
  } catch {
    return undefined;
  }
}

function failed(code: string, message: string, detail?: string): CheckOutcome {
  return detail ? { status: 'failed', code, message, detail } : { status: 'failed', code, message };
}
