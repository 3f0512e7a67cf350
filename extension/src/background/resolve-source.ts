/**
 * From what a page shows to the credential text the verifier reads. URLs are fetched here, in the
 * worker, with the shared limits (timeout, byte cap, https or loopback only): a credential page is
 * asked for the credential by content negotiation, and an HTML answer is searched for its
 * `rel="alternate"` credential link (one hop). Badge images are read with shared/baking.
 */
import { extractBakedCredential } from '../../../shared/baking/extract-baked.ts';
import { fetchBytes, type FetchLimits } from '../../../shared/net/fetch-document.ts';
import type { CandidateSource } from '../protocol.ts';
import { credentialAlternates } from './alternate-links.ts';

export const CREDENTIAL_ACCEPT = 'application/vc+jwt, application/vc+ld+json;q=0.9, application/ld+json;q=0.8, application/json;q=0.7, text/html;q=0.5';
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

export type Resolved =
  | { readonly ok: true; readonly input: string; readonly from: string }
  /** `revoked`: the answer itself is the issuer's revocation (an OB 2.0 hosted assertion that is gone). */
  | { readonly ok: false; readonly code: string; readonly message: string; readonly revoked?: boolean };

export async function resolveSource(source: CandidateSource, limits: FetchLimits): Promise<Resolved> {
  if (source.kind === 'inline') return { ok: true, input: source.text, from: 'the page' };
  if (source.kind === 'image') return resolveImage(source.url, limits);
  return resolveUrl(source.url, limits, true, source.hostedOb2 === true);
}

/** Bytes as text, or bytes handed on when a pasted/dropped file is an image. */
export function resolveBytes(bytes: Uint8Array): Resolved {
  const baked = extractBakedCredential(bytes, { maxImageBytes: MAX_IMAGE_BYTES });
  if (baked.ok) return { ok: true, input: baked.value, from: 'the badge image' };
  if (baked.code !== 'baked.not-an-image') return { ok: false, code: baked.code, message: baked.message };
  return { ok: true, input: new TextDecoder().decode(bytes), from: 'the file' };
}

async function resolveUrl(url: string, limits: FetchLimits, followAlternates: boolean, hostedOb2 = false): Promise<Resolved> {
  const fetched = await fetchBytes(url, limits, CREDENTIAL_ACCEPT);
  // OB 2.0 hosted verification: an issuer revokes a hosted assertion by answering 410 Gone. Any other
  // URL that is gone (a moved portfolio page) proves nothing about the credential.
  if (!fetched.ok && hostedOb2 && /HTTP 410\b/.test(fetched.message)) {
    return { ok: false, code: 'ob2.assertion-gone', message: `The issuer has withdrawn this badge: its hosted assertion ${url} answers 410 Gone.`, revoked: true };
  }
  if (!fetched.ok) return fetched;
  const text = new TextDecoder().decode(fetched.value);
  const looksHtml = /html/i.test(fetched.contentType) || /^\s*<(!doctype|html|head|body)/i.test(text);
  if (!looksHtml) return { ok: true, input: text, from: url };
  const alternates = followAlternates ? credentialAlternates(text, url) : [];
  if (alternates[0]) return resolveUrl(alternates[0], limits, false);
  return { ok: false, code: 'source.no-credential', message: `${url} is a web page without a machine-readable credential, so it cannot be checked.` };
}

async function resolveImage(url: string, limits: FetchLimits): Promise<Resolved> {
  const fetched = await fetchBytes(url, { ...limits, maxBytes: MAX_IMAGE_BYTES }, 'image/png, image/svg+xml;q=0.9');
  if (!fetched.ok) return fetched;
  const baked = extractBakedCredential(fetched.value, { maxImageBytes: MAX_IMAGE_BYTES });
  if (!baked.ok) return { ok: false, code: baked.code, message: baked.message };
  // OB 2.0 images may carry only the hosted assertion's URL.
  if (baked.kind === 'ob2' && /^https?:\/\//i.test(baked.value)) return resolveUrl(baked.value, limits, false, true);
  return { ok: true, input: baked.value, from: url };
}
