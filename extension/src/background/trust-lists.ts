/**
 * The user's trusted-issuer lists: URLs of JSON documents in our simple format (README,
 * "Trusted issuer lists"):
 *   { "name": "…", "issuers": [ { "id": "did:web:academy.example", "name": "…" } ] }
 * A bare array of such issuer objects is accepted too. Lists are fetched through the same bounded
 * document source as keys; a list that cannot be read is reported, never silently treated as empty.
 */
import type { FetchOutcome } from '../../../shared/net/fetch-document.ts';
import type { TrustedIssuer } from '../../../shared/verify/types.ts';

export const MAX_ISSUERS_PER_LIST = 10_000;

export type TrustListOutcome = { readonly ok: true; readonly issuers: readonly TrustedIssuer[] } | { readonly ok: false; readonly message: string };

export function parseTrustList(value: unknown): TrustListOutcome {
  const items = Array.isArray(value) ? value : isObject(value) && Array.isArray(value.issuers) ? value.issuers : undefined;
  if (!items) return { ok: false, message: 'The list is not in the trusted-issuer format: expected an object with an "issuers" array.' };
  const issuers: TrustedIssuer[] = [];
  for (const item of items.slice(0, MAX_ISSUERS_PER_LIST)) {
    if (!isObject(item) || typeof item.id !== 'string' || item.id.length > 2048) continue;
    issuers.push(typeof item.name === 'string' ? { id: item.id, name: item.name.slice(0, 200) } : { id: item.id });
  }
  return { ok: true, issuers };
}

/** All issuers from all lists; undefined when no list is configured ("lists not checked"). */
export async function loadTrustedIssuers(urls: readonly string[], getJson: (url: string) => Promise<FetchOutcome<unknown>>): Promise<{ issuers: readonly TrustedIssuer[] | undefined; problems: string[] }> {
  if (urls.length === 0) return { issuers: undefined, problems: [] };
  const problems: string[] = [];
  const issuers: TrustedIssuer[] = [];
  for (const url of urls) {
    const fetched = await getJson(url);
    if (!fetched.ok) {
      problems.push(fetched.message);
      continue;
    }
    const parsed = parseTrustList(fetched.value);
    if (parsed.ok) issuers.push(...parsed.issuers);
    else problems.push(`${url}: ${parsed.message}`);
  }
  return { issuers, problems };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
