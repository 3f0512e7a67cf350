/**
 * Where verification gets public documents (DID documents, JWKS, issuer profiles, status list
 * credentials): bounded fetches behind a small TTL cache, so checking fifty credentials from one
 * issuer resolves its keys once. Concurrent requests for the same URL share one fetch.
 */
import { fetchJson, type FetchLimits, type FetchOutcome } from './fetch-document.ts';

export interface DocumentSource {
  getJson(url: string): Promise<FetchOutcome<unknown>>;
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
  const cache = new Map<string, { at: number; outcome: Promise<FetchOutcome<unknown>> }>();

  return {
    getJson(url: string) {
      const hit = cache.get(url);
      if (hit && now() - hit.at < ttlMs) return hit.outcome;
      const outcome = fetchJson(url, options).then((result) => {
        if (!result.ok) cache.delete(url);
        return result;
      });
      cache.set(url, { at: now(), outcome });
      if (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
      return outcome;
    },
  };
}
