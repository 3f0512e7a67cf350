/**
 * Bitstring Status List v1.0 §3.1 (generate) and §2.2: the status list credential served at
 * /status/:purpose/:listId, signed as a VC-JWT with the issuer key. It is rebuilt from the revoked
 * credentials and re-signed only when a revocation bumped the list's version; the signed copy is
 * kept in the database so every instance serves the same bytes (and the same ETag).
 */
import { createHash } from 'node:crypto';
import { Bitstring } from '../../../shared/status/bitstring.ts';
import { buildStatusListCredential, type IssuedStatusPurpose } from '../../../shared/status/status-list-credential.ts';
import type { Issuer } from './issuer.ts';
import type { StatusListRepository } from '../store/status-list-repository.ts';
import { statusListUrl } from './ids.ts';

/** §2.2 ttl and the HTTP Cache-Control max-age we send with it: a revocation is visible within a minute. */
export const STATUS_LIST_TTL_SECONDS = 60;

export interface PublishedStatusList {
  readonly jwt: string;
  /** Strong validator for If-None-Match: a hash of the exact bytes served. */
  readonly etag: string;
}

export async function publishedStatusList(
  deps: { statusLists: StatusListRepository; issuer: Issuer; publicUrl: string; now?: () => Date },
  purpose: string,
  listId: string,
): Promise<PublishedStatusList | undefined> {
  const list = await deps.statusLists.get(listId);
  if (!list || list.purpose !== purpose) return undefined;
  let jwt = list.signedJwt !== null && list.signedVersion === list.version ? list.signedJwt : undefined;
  if (!jwt) {
    const bits = Bitstring.create(list.size);
    for (const index of await deps.statusLists.revokedIndexes(list.id)) bits.set(index, true);
    const credential = buildStatusListCredential({
      id: statusListUrl(deps.publicUrl, purpose, list.id),
      issuer: deps.issuer.id,
      statusPurpose: purpose as IssuedStatusPurpose,
      encodedList: await bits.encode(),
      validFrom: (deps.now ?? (() => new Date()))(),
      ttlMs: STATUS_LIST_TTL_SECONDS * 1000,
    });
    jwt = await deps.issuer.sign(credential);
    // A revocation committed meanwhile bumped the version: this copy is then not stored, and the next request signs again.
    await deps.statusLists.storeSigned(list.id, list.version, jwt);
  }
  return { jwt, etag: `"${createHash('sha256').update(jwt).digest('base64url').slice(0, 27)}"` };
}
