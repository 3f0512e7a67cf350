/**
 * Requests to an LMS REST API (Moodle web services, Canvas /api/v1) on top of platform-http.ts
 * (https only, timeout, byte cap): each answer is classified by the LMS's own rules into data or an
 * LmsError; rate-limit and network errors are retried a few times with backoff (the LMS's
 * Retry-After when it gives one), everything else fails at once with its reason.
 */
import { PlatformHttpError, requestPlatform, type HttpAnswer, type HttpFetch } from '../lti/platform-http.ts';
import { LmsError, type LmsHttpOptions } from './lms-source.ts';

export const LMS_DEFAULTS = { timeoutMs: 15_000, maxBytes: 8_000_000, concurrency: 8, retries: 3 } as const;

/** The default pause between retries (tests inject a fast one through LmsHttpOptions.sleep). */
export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const defaultFetch: HttpFetch = (url, init) => fetch(url, init);

/** Turns an HTTP answer into the value, or throws the LmsError the LMS meant. */
export type Classify<T> = (answer: HttpAnswer) => T;

export async function lmsRequest<T>(url: string, init: { method?: string; headers?: Record<string, string>; body?: string }, options: LmsHttpOptions, classify: Classify<T>): Promise<T> {
  const retries = options.retries ?? LMS_DEFAULTS.retries;
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 0; ; attempt += 1) {
    try {
      const answer = await requestPlatform(url, init, {
        fetch: options.fetch ?? defaultFetch,
        timeoutMs: options.timeoutMs ?? LMS_DEFAULTS.timeoutMs,
        maxBytes: options.maxBytes ?? LMS_DEFAULTS.maxBytes,
      });
      return classify(answer);
    } catch (error) {
      const lmsError = asLmsError(error, url);
      if (!lmsError.retryable || attempt >= retries) throw lmsError;
      // 1 s, 2 s, 4 s … unless the LMS said how long to wait (capped: a cycle must end).
      await sleep(Math.min(lmsError.details.retryAfterMs ?? 1000 * 2 ** attempt, 60_000));
    }
  }
}

function asLmsError(error: unknown, url: string): LmsError {
  if (error instanceof LmsError) return error;
  if (error instanceof PlatformHttpError) {
    if (error.code === 'LTI_HTTP_TOO_LARGE') return new LmsError('LMS_BAD_RESPONSE', error.message);
    if (error.code === 'LTI_HTTP_INSECURE_URL') return new LmsError('LMS_BAD_RESPONSE', error.message);
    return new LmsError('LMS_UNREACHABLE', error.message);
  }
  return new LmsError('LMS_UNREACHABLE', `${url} failed: ${error instanceof Error ? error.message : String(error)}`);
}

/** Retry-After (seconds or an HTTP date) in ms, when present. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** Runs fn over items with at most `limit` at once; results in input order; the first error rejects. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
