/**
 * Verifying JWTs a tool signs — RFC 7523 client assertions at the token endpoint and Deep Linking
 * 2.0 §4.5 responses — against the JWKS URL the tool registered, fetched fresh each time with a
 * timeout and a size cap (so key rotation on the tool side is seen at once).
 */
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { fetchBytes } from '../../shared/net/fetch-document.ts';

export type ToolJwtResult = { ok: true; payload: JWTPayload } | { ok: false; reason: string };

export interface ToolJwtExpectations {
  readonly jwksUrl: string;
  readonly issuer: string;
  readonly audience: string;
  /** Milliseconds. */
  readonly now: number;
  readonly subject?: string;
  readonly maxAgeSeconds?: number;
}

export async function verifyToolJwt(jwt: string, expect: ToolJwtExpectations): Promise<ToolJwtResult> {
  let alg: string | undefined;
  try {
    alg = decodeProtectedHeader(jwt).alg;
  } catch {
    return { ok: false, reason: 'The JWT is not a compact JWS.' };
  }
  if (alg !== 'RS256') return { ok: false, reason: `Algorithm ${String(alg)} is not accepted; RS256 is required.` };
  const fetched = await fetchBytes(expect.jwksUrl, { fetch: (url, init) => fetch(url, init), timeoutMs: 5_000, maxBytes: 100_000 }, 'application/json');
  if (!fetched.ok) return { ok: false, reason: `The tool's JWKS could not be read: ${fetched.message}` };
  let jwks: unknown;
  try {
    jwks = JSON.parse(new TextDecoder().decode(fetched.value));
  } catch {
    return { ok: false, reason: "The tool's JWKS is not JSON." };
  }
  try {
    const keySet = createLocalJWKSet(jwks as Parameters<typeof createLocalJWKSet>[0]);
    const { payload } = await jwtVerify(jwt, keySet, {
      algorithms: ['RS256'],
      issuer: expect.issuer,
      audience: expect.audience,
      ...(expect.subject !== undefined ? { subject: expect.subject } : {}),
      currentDate: new Date(expect.now),
      clockTolerance: 5,
      requiredClaims: ['exp', 'iat'],
      ...(expect.maxAgeSeconds !== undefined ? { maxTokenAge: expect.maxAgeSeconds } : {}),
    });
    return { ok: true, payload };
  } catch (error) {
    return { ok: false, reason: `${(error as { code?: string }).code ?? 'ERR'}: ${(error as Error).message}` };
  }
}
