/**
 * RFC 9901 §7.3 (Key Binding) for SD-JWT credentials: the holder's Key Binding JWT, when present,
 * must be signed by the key the issuer bound the credential to and cover exactly the disclosures
 * shown. That it was made for this verifier is only known when the caller expected an audience and
 * a nonce; otherwise the report says holder binding was not checked.
 */
import { verifyKeyBinding } from '../../crypto/sd-jwt-key-binding.ts';
import type { Check, CheckOutcome, ParsedCredential } from '../types.ts';

const DEFAULT_SKEW_SECONDS = 60;

export const holderBindingCheck: Check = {
  id: 'holder-binding',
  name: 'Holder binding',
  fatal: false,
  formats: ['vc-sd-jwt'],
  async execute(ctx): Promise<CheckOutcome> {
    const { sdJwt, credential } = ctx.parsed as ParsedCredential & { sdJwt: NonNullable<ParsedCredential['sdJwt']> };
    const expected = ctx.options.keyBinding;
    const expecting = expected?.audience !== undefined || expected?.nonce !== undefined;
    if (!sdJwt.keyBindingJwt) {
      if (expecting) return { status: 'failed', code: 'holder.kb-missing', message: 'The holder did not sign this presentation (no key binding), but one was required.' };
      return { status: 'skipped', code: 'holder.not-checked', message: 'Holder binding not checked: the presentation carries no key binding, so anyone holding it could have shown it.' };
    }
    const notAfter = new Date(ctx.now.getTime() + (ctx.options.clockSkewSeconds ?? DEFAULT_SKEW_SECONDS) * 1000);
    const result = await verifyKeyBinding({ keyBindingJwt: sdJwt.keyBindingJwt, presentation: sdJwt.presentation, hashAlg: sdJwt.hashAlg, claims: credential, notAfter, ...(expected ? { expected } : {}) });
    if (!result.ok) return { status: 'failed', code: result.code, message: result.message, ...(result.detail ? { detail: result.detail } : {}) };
    if (!result.bound) {
      return {
        status: 'skipped',
        code: 'holder.not-checked',
        message: 'Holder binding not checked: the holder’s key signed this presentation, but no audience and nonce were expected, so it may be a replay.',
        detail: `aud ${JSON.stringify(result.payload.aud)}, nonce ${JSON.stringify(result.payload.nonce)}`,
      };
    }
    return { status: 'passed', code: 'holder.bound', message: 'The holder presented this credential to you: their key signed this request’s audience and nonce.' };
  },
};
