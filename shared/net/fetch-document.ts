/**
 * Bounded fetching of public documents (DID documents, JWKS, issuer profiles, status lists,
 * credentials). Every read from outside gets a timeout and a byte cap; the fetch function itself
 * is injected so the same code runs in Node, in tests against loopback servers, and in the
 * extension's service worker.
 */

import { readStreamCapped } from './read-capped.ts';

/** The subset of WHATWG fetch we rely on. */
export type FetchLike = (url: string, init?: { signal?: AbortSignal; headers?: Record<string, string>; redirect?: 'follow' | 'error' }) => Promise<Response>;

export interface FetchLimits {
  readonly fetch: FetchLike;
  /** Milliseconds before a request is abandoned. */
  readonly timeoutMs?: number;
  /** Largest body accepted, in bytes. */
  readonly maxBytes?: number;
}

export const DEFAULT_TIMEOUT_MS = 5_000;
export const DEFAULT_MAX_BYTES = 1_000_000;

export type FetchFailureCode = 'fetch.timeout' | 'fetch.network' | 'fetch.http-status' | 'fetch.too-large' | 'fetch.not-json' | 'fetch.insecure-url';

export type FetchOutcome<T> =
  | { readonly ok: true; readonly value: T; readonly contentType: string }
  | { readonly ok: false; readonly code: FetchFailureCode; readonly message: string };

/** True for hosts where plain http is allowed (development and tests on this machine). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** https everywhere, http only on loopback. */
export function checkFetchableUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not a URL.`;
  }
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)) return undefined;
  return `Refusing to fetch ${parsed.protocol}// URL ${url}: only https (or http on this machine) is allowed.`;
}

/** Fetch a body as bytes with a timeout and a size cap; never throws. */
export async function fetchBytes(url: string, limits: FetchLimits, accept = '*/*'): Promise<FetchOutcome<Uint8Array>> {
  const insecure = checkFetchableUrl(url);
  if (insecure) return { ok: false, code: 'fetch.insecure-url', message: insecure };
  const timeoutMs = limits.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await limits.fetch(url, { signal: controller.signal, headers: { accept } });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      return { ok: false, code: 'fetch.http-status', message: `${url} answered HTTP ${response.status}.` };
    }
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      return tooLarge(url, maxBytes);
    }
    const body = response.body ? await readStreamCapped(response.body, maxBytes) : new Uint8Array(0);
    if (!body) return tooLarge(url, maxBytes);
    return { ok: true, value: body, contentType: response.headers.get('content-type') ?? '' };
  } catch (error) {
    if (controller.signal.aborted) {
      return { ok: false, code: 'fetch.timeout', message: `${url} did not answer within ${timeoutMs} ms.` };
    }
    return { ok: false, code: 'fetch.network', message: `${url} could not be reached (${(error as Error).message}).` };
  } finally {
    clearTimeout(timer);
  }
}

function tooLarge(url: string, maxBytes: number): FetchOutcome<never> {
  return { ok: false, code: 'fetch.too-large', message: `${url} sent more than ${maxBytes} bytes.` };
}
