/**
 * Keys an https issuer lists in its own profile document (the document at its id): DID-style
 * `verificationMethod` / `assertionMethod` entries, or `publicKey` entries as Open Badges issuer
 * Profiles carry them (embedded, or same-origin URLs of CryptographicKey documents), with the
 * key as `publicKeyJwk`, `publicKeyMultibase` or `publicKeyPem`. A key is matched by its id, by
 * the fragment of its id, or by its RFC 7638 thumbprint.
 */
import { exportJWK, importSPKI, type JWK } from 'jose';
import type { DocumentSource } from '../net/document-source.ts';
import { isJsonObject } from './did-document.ts';
import { jwkFromMultibase } from './did-key.ts';
import { jwkThumbprintSync } from './jwks.ts';

const MAX_KEY_DOCUMENTS = 5;
const MAX_PEM_LENGTH = 8192;

export interface ProfileKey {
  readonly id: string;
  readonly jwk: JWK;
}

export async function findProfileKey(profile: Record<string, unknown>, kid: string, issuerId: string, documents: Pick<DocumentSource, 'getJson'>): Promise<ProfileKey | undefined> {
  const base = typeof profile.id === 'string' ? profile.id : issuerId;
  const entries: Record<string, unknown>[] = [];
  let fetches = 0;
  for (const member of [profile.verificationMethod, profile.assertionMethod, profile.publicKey]) {
    for (const entry of Array.isArray(member) ? member.slice(0, 50) : member === undefined ? [] : [member]) {
      if (isJsonObject(entry)) entries.push(entry);
      else if (typeof entry === 'string' && sameOrigin(entry, issuerId) && fetches < MAX_KEY_DOCUMENTS) {
        // OB 2.0 style: the profile points at CryptographicKey documents on its own site.
        fetches += 1;
        const fetched = await documents.getJson(entry);
        if (fetched.ok && isJsonObject(fetched.value)) entries.push({ ...fetched.value, id: fetched.value.id ?? entry });
      }
    }
  }
  const wantedFragment = kid.slice(kid.lastIndexOf('#') + 1);
  for (const entry of entries) {
    const id = typeof entry.id === 'string' ? (entry.id.startsWith('#') ? base + entry.id : entry.id) : undefined;
    const owner = entry.owner ?? entry.controller;
    if (owner !== undefined && owner !== issuerId && owner !== base) continue;
    const jwk = await jwkOf(entry);
    if (!jwk || !id) continue;
    const idMatches = id === kid || id.slice(id.lastIndexOf('#') + 1) === wantedFragment;
    if (idMatches || jwkThumbprintSync(jwk) === wantedFragment) return { id, jwk };
  }
  return undefined;
}

async function jwkOf(entry: Record<string, unknown>): Promise<JWK | undefined> {
  if (isJsonObject(entry.publicKeyJwk)) return entry.publicKeyJwk as JWK;
  try {
    if (typeof entry.publicKeyMultibase === 'string') return jwkFromMultibase(entry.publicKeyMultibase);
    if (typeof entry.publicKeyPem === 'string' && entry.publicKeyPem.length <= MAX_PEM_LENGTH) {
      // SPKI names the key type, but jose wants an algorithm to import with; try the ones we verify.
      for (const alg of ['RS256', 'ES256', 'EdDSA']) {
        try {
          return await exportJWK(await importSPKI(entry.publicKeyPem, alg, { extractable: true }));
        } catch {
          // not this key type
        }
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}

function sameOrigin(url: string, issuerId: string): boolean {
  try {
    return new URL(url).origin === new URL(issuerId).origin;
  } catch {
    return false;
  }
}
