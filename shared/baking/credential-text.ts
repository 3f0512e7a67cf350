/**
 * What a baked credential may be (OB 3.0 §5.3): the compact JWS of a VC-JWT, or the JSON of a
 * credential with an embedded proof. Anything else is refused before it goes into an image.
 */
import { BakingError, type BakingLimits } from './errors.ts';

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export type CredentialTextKind = 'jwt' | 'json';

export function credentialTextKind(text: string): CredentialTextKind | undefined {
  const trimmed = text.trim();
  if (COMPACT_JWS.test(trimmed)) return 'jwt';
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? 'json' : undefined;
  } catch {
    return undefined;
  }
}

export function assertBakeableCredential(credential: string, limits: Pick<BakingLimits, 'maxCredentialBytes'>): CredentialTextKind {
  const size = new TextEncoder().encode(credential).byteLength;
  if (size > limits.maxCredentialBytes) {
    throw new BakingError('baked.credential-too-large', `The credential is ${size} bytes; the limit for a baked image is ${limits.maxCredentialBytes} bytes.`);
  }
  const kind = credentialTextKind(credential);
  if (!kind) throw new BakingError('baked.credential-invalid', 'Only a compact VC-JWT or the JSON of a credential can be baked into an image.');
  return kind;
}
