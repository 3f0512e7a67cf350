/**
 * What the public (no login) credential URLs serve, independent of HTTP: the stored VC-JWT, the
 * credential JSON it carries, the holder's choice to withdraw the page, the OB 3.0 §5.3 baked
 * badge images, and the live verification of the stored credential against our own documents.
 */
import { bakePng } from '../../../shared/baking/bake-png.ts';
import { bakeSvg } from '../../../shared/baking/bake-svg.ts';
import { readEuElements } from '../../../shared/credential/read-eu-elements.ts';
import type { EuElements } from '../../../shared/credential/types.ts';
import { decodeVcJwt } from '../../../shared/crypto/vc-jwt.ts';
import type { DocumentSource } from '../../../shared/net/document-source.ts';
import type { VerificationReport } from '../../../shared/verify/types.ts';
import { verifyCredential } from '../../../shared/verify/verify.ts';
import type { AwardRepository, IssuedCredentialRecord } from '../store/award-repository.ts';
import { defaultBadgeSvg } from './default-badge.ts';
import { CREDENTIAL_ID_PATTERN } from './ids.ts';

export type PublicCredential =
  | { readonly state: 'not-found' }
  | { readonly state: 'hidden'; readonly record: IssuedCredentialRecord }
  | { readonly state: 'public'; readonly record: IssuedCredentialRecord; readonly credential: Record<string, unknown>; readonly eu: EuElements };

/** JWT registered claims signVcJwt derives from the credential; the credential JSON is the payload without them. */
const JWT_CLAIMS = ['iss', 'nbf', 'iat', 'exp', 'jti', 'sub'];

export async function loadPublicCredential(awards: AwardRepository, id: string): Promise<PublicCredential> {
  if (!CREDENTIAL_ID_PATTERN.test(id)) return { state: 'not-found' };
  const record = await awards.credential(id);
  if (!record) return { state: 'not-found' };
  if (record.hiddenAt) return { state: 'hidden', record };
  const credential = credentialJsonOf(record.jwt);
  return { state: 'public', record, credential, eu: readEuElements(credential) };
}

export function credentialJsonOf(jwt: string): Record<string, unknown> {
  const decoded = decodeVcJwt(jwt);
  if (!decoded.ok) throw new Error(`A stored credential cannot be decoded: ${decoded.message}`);
  return Object.fromEntries(Object.entries(decoded.payload).filter(([key]) => !JWT_CLAIMS.includes(key)));
}

export function verifyStoredCredential(jwt: string, documents: DocumentSource, now?: () => Date): Promise<VerificationReport> {
  return verifyCredential(jwt, { documents, ...(now ? { now } : {}) });
}

/** The badge image of the credential's achievement as an SVG (its own, or the generated default), baked. */
export function bakedBadgeSvg(credential: Record<string, unknown>, jwt: string): string {
  const own = dataUri(imageOf(credential), 'image/svg+xml');
  const svg = own ? new TextDecoder().decode(own) : defaultBadgeSvg(badgeFacts(credential));
  return bakeSvg(svg, jwt);
}

/** The PNG badge, baked; undefined when the definition gave no PNG image (the default badge is SVG only). */
export function bakedBadgePng(credential: Record<string, unknown>, jwt: string): Uint8Array | undefined {
  const png = dataUri(imageOf(credential), 'image/png');
  return png ? bakePng(png, jwt) : undefined;
}

/** Whether a PNG badge can be offered, without baking one. */
export function hasPngBadge(credential: Record<string, unknown>): boolean {
  return /^data:image\/png[;,]/i.test(imageOf(credential) ?? '');
}

export function badgeFacts(credential: Record<string, unknown>): { title: string; eqf?: number; ects?: number } {
  const eu = readEuElements(credential);
  return { title: eu.title ?? 'Micro-credential', ...(eu.level?.eqf !== undefined ? { eqf: eu.level.eqf } : {}), ...(eu.workload?.ects !== undefined ? { ects: eu.workload.ects } : {}) };
}

function imageOf(credential: Record<string, unknown>): string | undefined {
  const subject = credential.credentialSubject as Record<string, any> | undefined;
  const image = subject?.achievement?.image;
  const id = typeof image === 'string' ? image : image?.id;
  return typeof id === 'string' ? id : undefined;
}

/** The bytes of a `data:<type>;base64,…` (or percent-encoded) URI of the given type. */
function dataUri(uri: string | undefined, type: string): Uint8Array | undefined {
  const match = uri ? /^data:([^;,]+)(;base64)?,(.*)$/s.exec(uri) : null;
  if (!match || match[1]!.toLowerCase() !== type) return undefined;
  try {
    return match[2] ? new Uint8Array(Buffer.from(match[3]!, 'base64')) : new TextEncoder().encode(decodeURIComponent(match[3]!));
  } catch {
    return undefined;
  }
}
