/**
 * Where verification gets public documents (DID documents, JWKS, issuer profiles, status list
 * credentials): bounded fetches behind a small TTL cache, so checking fifty credentials from one
 * issuer resolves its keys once. Concurrent requests for the same URL share one fetch.
 */
import { fetchBytes, type FetchLimits, type FetchOutcome } from './fetch-document.ts';

export interface DocumentSource {
  /** A JSON document (DID document, JWKS, profile, JSON credential). */
  getJson(url: string): Promise<FetchOutcome<unknown>>;
  /** A document as text, for credentials served as compact JWTs. */
  getText(url: string, accept: string): Promise<FetchOutcome<string>>;
}

export interface DocumentSourceOptions extends FetchLimits {
  /** How long a fetched document is reused, in milliseconds (failures are not cached). */
  readonly ttlMs?: number;
  /** Injected clock (ms since epoch), for tests. */
  readonly now?: () => number;
  /** Most entries kept; the oldest go first. */
  readonly maxEntries?: number;
}

export function createDocumentSource(options: DocumentSourceOptions): DocumentSource {
  const ttlMs = options.ttlMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 500;
  const cache = new Map<string, { at: number; outcome: Promise<FetchOutcome<string>> }>();

  function getText(url: string, accept: string): Promise<FetchOutcome<string>> {
    const key = `${accept} ${url}`;
    const hit = cache.get(key);
    if (hit && now() - hit.at < ttlMs) return hit.outcome;
    const outcome = fetchBytes(url, options, accept).then((result): FetchOutcome<string> => {
      if (!result.ok) {
        cache.delete(key);
        return result;
      }
      return { ok: true, value: new TextDecoder().decode(result.value), contentType: result.contentType };
    });
    cache.set(key, { at: now(), outcome });
    if (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
    return outcome;
  }

  return {
    getText,
    async getJson(url: string) {
      const text = await getText(url, 'application/json, application/did+json, application/ld+json;q=0.9');
      if (!text.ok) return text;
      try {
        return { ok: true, value: JSON.parse(text.value) as unknown, contentType: text.contentType };
      } catch {
        return { ok: false, code: 'fetch.not-json', message: `${url} did not answer with JSON.` };
      }
    },
  };
}
