/**
 * Requests to the Canvas REST API (/api/v1) over lmsRequest: Bearer access token (asked for on
 * every request, so an OAuth2 refresh can happen underneath), pagination through RFC 8288 Link
 * rel="next" (same origin only, capped), Canvas's error answers mapped to LmsError codes, and the
 * request throttle respected (doc/api/throttling.md): when X-Rate-Limit-Remaining runs low, the
 * next request waits until the quota has drained back instead of running into
 * "403 Forbidden (Rate Limit Exceeded)".
 */
import type { HttpAnswer } from '../lti/platform-http.ts';
import { linkWithRel } from '../lti/platform-http.ts';
import { lmsRequest, realSleep } from './lms-http.ts';
import { LmsError, type LmsHttpOptions } from './lms-source.ts';

export interface CanvasApiOptions {
  /** Canvas origin, e.g. https://school.instructure.com (no trailing slash). */
  readonly baseUrl: string;
  readonly accessToken: () => Promise<string>;
  readonly http?: LmsHttpOptions | undefined;
  /** Pages followed per list before giving up (default 100; at per_page=100 that is 10 000 rows). */
  readonly maxPages?: number | undefined;
  /** Remaining quota under which requests slow down, and how fast Canvas refills it (default 150 units, 10 per second). */
  readonly rateLimit?: { readonly low: number; readonly refillPerSecond: number } | undefined;
}

export type Query = readonly (readonly [string, string])[];

export interface CanvasApi {
  /** One JSON answer. `scope` is the developer-key scope of the endpoint, named when the token lacks it. */
  get<T>(path: string, query: Query, scope: string): Promise<T>;
  /** Every page of a list endpoint (per_page=100), in order. */
  getAll<T>(path: string, query: Query, scope: string): Promise<T[]>;
}

const DEFAULT_RATE_LIMIT = { low: 150, refillPerSecond: 10 };

export function createCanvasApi(options: CanvasApiOptions): CanvasApi {
  const base = new URL(options.baseUrl);
  const http = options.http ?? {};
  const sleep = http.sleep ?? realSleep;
  const rate = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  const maxPages = options.maxPages ?? 100;
  // The quota Canvas reported last; undefined once a wait has been scheduled for it.
  let remaining: number | undefined;

  const request = async <T>(url: string, scope: string): Promise<{ body: T; next: string | undefined }> => {
    if (remaining !== undefined && remaining < rate.low) {
      const waitMs = Math.ceil(((rate.low - remaining) / rate.refillPerSecond) * 1000);
      remaining = undefined;
      await sleep(waitMs);
    }
    const token = await options.accessToken();
    return lmsRequest(url, { method: 'GET', headers: { authorization: `Bearer ${token}`, accept: 'application/json' } }, http, (answer) => {
      const left = Number(answer.headers.get('x-rate-limit-remaining') ?? NaN);
      if (Number.isFinite(left)) remaining = left;
      return { body: classify<T>(answer, url, scope), next: linkWithRel(answer.headers.get('link'), 'next') };
    });
  };

  const urlOf = (path: string, query: Query): string => {
    const url = new URL(`/api/v1${path}`, base);
    for (const [name, value] of query) url.searchParams.append(name, value);
    return url.toString();
  };

  return {
    async get<T>(path: string, query: Query, scope: string) {
      return (await request<T>(urlOf(path, query), scope)).body;
    },
    async getAll<T>(path: string, query: Query, scope: string) {
      const rows: T[] = [];
      let next: string | undefined = urlOf(path, [...query, ['per_page', '100']]);
      for (let page = 0; next; page += 1) {
        if (page >= maxPages) throw new LmsError('LMS_BAD_RESPONSE', `Canvas has more than ${maxPages} pages of ${path}; the tool stops there rather than read an endless list.`);
        // The bearer token goes to the Canvas origin only, whatever a Link header says.
        if (new URL(next).origin !== base.origin) throw new LmsError('LMS_BAD_RESPONSE', `Canvas pointed the next page of ${path} to another site (${new URL(next).origin}).`);
        const answer: { body: T[]; next: string | undefined } = await request<T[]>(next, scope);
        if (!Array.isArray(answer.body)) throw new LmsError('LMS_BAD_RESPONSE', `Canvas answered ${path} with something other than a list.`);
        rows.push(...answer.body);
        next = answer.next;
      }
      return rows;
    },
  };
}

/** Canvas's answers, told apart the way Canvas clients must: by status, WWW-Authenticate and the error text. */
function classify<T>(answer: HttpAnswer, url: string, scope: string): T {
  const path = new URL(url).pathname;
  if (answer.status === 200) {
    if (answer.json === undefined) throw new LmsError('LMS_BAD_RESPONSE', `Canvas answered ${path} with something that is not JSON.`, { status: 200 });
    return answer.json as T;
  }
  const status = answer.status;
  const message = errorMessage(answer.json);
  if (status === 401) {
    if (answer.headers.get('www-authenticate')) {
      throw new LmsError('LMS_TOKEN_INVALID', 'Canvas no longer accepts the access token (it was deleted, has expired or the developer key was turned off). Connect Canvas again on the admin page.', { status });
    }
    if (/insufficient scopes/i.test(message)) {
      throw new LmsError('LMS_FUNCTION_NOT_ALLOWED', `The Canvas developer key does not allow ${scope}. Add this scope to the key (Admin → Developer Keys) and authorize again.`, { status, missing: [scope] });
    }
    throw new LmsError('LMS_NO_PERMISSION', `The Canvas account behind the token may not read ${path} (Canvas: "${message || 'unauthorized'}"). Use an account that teaches the course or administers it.`, { status });
  }
  if (status === 403 && /rate limit exceeded/i.test(answer.text)) {
    throw new LmsError('LMS_RATE_LIMITED', 'Canvas is throttling the tool (403 Rate Limit Exceeded); it will try again shortly.', { status });
  }
  if (status === 403) throw new LmsError('LMS_NO_PERMISSION', `Canvas refused ${path} (HTTP 403${message ? `: ${message}` : ''}).`, { status });
  if (status === 404) throw new LmsError('LMS_NOT_FOUND', `Canvas has no ${path} (deleted, or the course id is wrong).`, { status });
  if (status >= 500) throw new LmsError('LMS_UNREACHABLE', `Canvas answered ${path} with HTTP ${status}; it will be tried again.`, { status });
  throw new LmsError('LMS_BAD_RESPONSE', `Canvas answered ${path} with HTTP ${status}${message ? ` (${message})` : ''}.`, { status });
}

function errorMessage(json: unknown): string {
  const errors = (json as { errors?: unknown } | undefined)?.errors;
  const first = Array.isArray(errors) ? (errors[0] as { message?: unknown } | undefined)?.message : undefined;
  return typeof first === 'string' ? first.slice(0, 200) : '';
}
