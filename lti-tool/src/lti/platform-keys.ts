/**
 * Security Framework §6.3 (key set URL): the platform's public keys, fetched from its JWKS URL with
 * a timeout and size cap and cached in memory per URL. An unknown `kid` triggers one refetch (the
 * platform may have rotated), at most once per `minRefetchMs` per URL, so forged kids cannot make
 * us hammer a platform.
 */
import type { JWK } from 'jose';
import { fetchBytes, type FetchLike } from '../../../shared/net/fetch-document.ts';
import { LtiError, securityHint } from './errors.ts';

export interface PlatformKeysOptions {
  readonly fetch: FetchLike;
  readonly now?: () => Date;
  /** How long a fetched key set is trusted before it is fetched again. */
  readonly maxAgeMs?: number;
  /** The shortest time between two fetches of one URL (unknown-kid refetches included). */
  readonly minRefetchMs?: number;
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
}

interface CachedSet {
  readonly keys: readonly JWK[];
  readonly fetchedAt: number;
}

export class PlatformKeys {
  readonly #cache = new Map<string, CachedSet>();
  readonly #inFlight = new Map<string, Promise<CachedSet>>();
  readonly #options: Required<Omit<PlatformKeysOptions, 'fetch' | 'now'>> & Pick<PlatformKeysOptions, 'fetch'>;
  readonly #now: () => Date;

  constructor({ fetch, now = () => new Date(), maxAgeMs = 3_600_000, minRefetchMs = 10_000, timeoutMs = 5_000, maxBytes = 200_000 }: PlatformKeysOptions) {
    this.#options = { fetch, maxAgeMs, minRefetchMs, timeoutMs, maxBytes };
    this.#now = now;
  }

  /** The key `kid` names in the platform's key set; throws LTI_KID_UNKNOWN or LTI_JWKS_UNREACHABLE. */
  async keyFor(jwksUrl: string, kid: string): Promise<JWK> {
    const now = this.#now().getTime();
    let cached = this.#cache.get(jwksUrl);
    if (!cached || now - cached.fetchedAt > this.#options.maxAgeMs) cached = await this.#refresh(jwksUrl);
    let key = cached.keys.find((k) => k.kid === kid);
    if (!key && now - cached.fetchedAt >= this.#options.minRefetchMs) {
      cached = await this.#refresh(jwksUrl);
      key = cached.keys.find((k) => k.kid === kid);
    }
    if (!key) {
      throw new LtiError('LTI_KID_UNKNOWN', 'The launch was signed with a key the platform does not publish.', securityHint(`no key "${kid}" in ${jwksUrl}`));
    }
    return key;
  }

  /** Concurrent launches that miss the cache share one fetch. */
  #refresh(jwksUrl: string): Promise<CachedSet> {
    let pending = this.#inFlight.get(jwksUrl);
    if (!pending) {
      pending = this.#fetch(jwksUrl).finally(() => this.#inFlight.delete(jwksUrl));
      this.#inFlight.set(jwksUrl, pending);
    }
    return pending;
  }

  async #fetch(jwksUrl: string): Promise<CachedSet> {
    const outcome = await fetchBytes(jwksUrl, this.#options, 'application/json');
    let keys: JWK[] | undefined;
    if (outcome.ok) {
      try {
        const parsed = JSON.parse(new TextDecoder().decode(outcome.value)) as { keys?: unknown };
        if (Array.isArray(parsed.keys)) keys = parsed.keys.filter((k): k is JWK => typeof k === 'object' && k !== null && typeof (k as JWK).kty === 'string');
      } catch {
        keys = undefined;
      }
    }
    if (!keys) {
      // A failed fetch leaves the previous set in place, and is not cached: the next launch retries.
      throw new LtiError(
        'LTI_JWKS_UNREACHABLE',
        'The tool could not read the platform’s public keys, so it cannot check this launch.',
        `Tell your LMS administrator: ${outcome.ok ? `${jwksUrl} is not a JSON Web Key Set` : outcome.message} Check the JWKS URL of this platform registration.`,
        502,
      );
    }
    const set = { keys, fetchedAt: this.#now().getTime() };
    this.#cache.set(jwksUrl, set);
    return set;
  }
}
