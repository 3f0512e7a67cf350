/**
 * Calls from the tool to a platform (token endpoint, AGS, NRPS, dynamic registration): https only
 * (http on loopback), a timeout and a byte cap on every answer, JSON in and out, no redirects
 * followed. Never throws for HTTP statuses: callers decide what a status means.
 */
import { checkFetchableUrl } from '../../../shared/net/fetch-document.ts';
import { readStreamCapped } from '../../../shared/net/read-capped.ts';

export type HttpFetch = (url: string, init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal; redirect: 'error' | 'manual' }) => Promise<Response>;

export interface HttpLimits {
  readonly fetch: HttpFetch;
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON body; undefined when empty or not JSON. */
  readonly json: unknown;
  readonly text: string;
}

export class PlatformHttpError extends Error {
  override readonly name = 'PlatformHttpError';
  constructor(
    readonly code: 'LTI_HTTP_INSECURE_URL' | 'LTI_HTTP_TIMEOUT' | 'LTI_HTTP_NETWORK' | 'LTI_HTTP_TOO_LARGE' | 'LTI_HTTP_STATUS' | 'LTI_HTTP_INVALID_ANSWER',
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export async function requestPlatform(url: string, init: { method?: string; headers?: Record<string, string>; body?: string }, limits: HttpLimits): Promise<HttpAnswer> {
  const insecure = checkFetchableUrl(url);
  if (insecure) throw new PlatformHttpError('LTI_HTTP_INSECURE_URL', insecure);
  const timeoutMs = limits.timeoutMs ?? 10_000;
  const maxBytes = limits.maxBytes ?? 2_000_000;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await limits.fetch(url, {
      method: init.method ?? 'GET',
      headers: init.headers ?? {},
      ...(init.body !== undefined ? { body: init.body } : {}),
      signal: controller.signal,
      redirect: 'manual',
    });
    const bytes = response.body ? await readStreamCapped(response.body, maxBytes) : new Uint8Array(0);
    if (!bytes) throw new PlatformHttpError('LTI_HTTP_TOO_LARGE', `${url} sent more than ${maxBytes} bytes.`);
    const text = new TextDecoder().decode(bytes);
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, json, text };
  } catch (error) {
    if (error instanceof PlatformHttpError) throw error;
    if (controller.signal.aborted) throw new PlatformHttpError('LTI_HTTP_TIMEOUT', `${url} did not answer within ${timeoutMs} ms.`);
    throw new PlatformHttpError('LTI_HTTP_NETWORK', `${url} could not be reached (${(error as Error).message}).`);
  } finally {
    clearTimeout(timer);
  }
}

/** RFC 8288 Link header: the URL of the relation `rel` (AGS/NRPS paging uses rel="next"). */
export function linkWithRel(header: string | null, rel: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!match) continue;
    const rels = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(match[2]!)?.[1]?.split(/\s+/) ?? [];
    if (rels.includes(rel)) return match[1];
  }
  return undefined;
}

export function statusError(url: string, answer: HttpAnswer, what: string): PlatformHttpError {
  const detail = answer.text.slice(0, 300).replace(/\s+/g, ' ');
  return new PlatformHttpError('LTI_HTTP_STATUS', `${what}: ${url} answered HTTP ${answer.status}${detail ? ` (${detail})` : ''}.`, answer.status);
}
