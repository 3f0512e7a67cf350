/**
 * LTI Assignment and Grade Services 2.0: line items (§3.2: list with paging, create, get, update,
 * delete), scores (§3.4: POST application/vnd.ims.lis.v1.score+json) and results (§3.3: GET with
 * paging). Paging follows RFC 8288 `Link: <…>; rel="next"` headers, bounded by `maxPages`.
 */
import type { PlatformRecord } from '../store/lti-platform-repository.ts';
import { SCOPES } from './claims.ts';
import { PlatformHttpError, linkWithRel, requestPlatform, statusError, type HttpAnswer, type HttpLimits } from './platform-http.ts';
import type { ServiceTokens } from './service-token.ts';

export const MEDIA = {
  lineItem: 'application/vnd.ims.lis.v2.lineitem+json',
  lineItems: 'application/vnd.ims.lis.v2.lineitemcontainer+json',
  score: 'application/vnd.ims.lis.v1.score+json',
  results: 'application/vnd.ims.lis.v2.resultcontainer+json',
} as const;

export interface LineItem {
  readonly id?: string;
  readonly scoreMaximum: number;
  readonly label: string;
  readonly resourceId?: string;
  readonly resourceLinkId?: string;
  readonly tag?: string;
  readonly startDateTime?: string;
  readonly endDateTime?: string;
}

export interface Score {
  readonly userId: string;
  readonly scoreGiven?: number;
  readonly scoreMaximum?: number;
  readonly comment?: string;
  /** ISO 8601 with sub-second precision; the platform orders scores by it. */
  readonly timestamp: string;
  readonly activityProgress: 'Initialized' | 'Started' | 'InProgress' | 'Submitted' | 'Completed';
  readonly gradingProgress: 'FullyGraded' | 'Pending' | 'PendingManual' | 'Failed' | 'NotReady';
}

export interface Result {
  readonly id?: string;
  readonly userId: string;
  readonly resultScore?: number;
  readonly resultMaximum?: number;
  readonly comment?: string;
  readonly scoreOf?: string;
}

export interface ServiceCallDeps {
  readonly http: HttpLimits;
  readonly tokens: ServiceTokens;
  /** Upper bound on pages followed for one list, so a looping `next` link cannot hold us forever. */
  readonly maxPages?: number;
}

export class AgsClient {
  constructor(
    private readonly platform: PlatformRecord,
    private readonly deps: ServiceCallDeps,
  ) {}

  /** Every line item of the context (all pages), optionally filtered as §3.2.4 allows. */
  async listLineItems(lineItemsUrl: string, filter: { resourceLinkId?: string; resourceId?: string; tag?: string } = {}): Promise<LineItem[]> {
    const url = new URL(lineItemsUrl);
    for (const [name, value] of Object.entries({ resource_link_id: filter.resourceLinkId, resource_id: filter.resourceId, tag: filter.tag })) {
      if (value !== undefined) url.searchParams.set(name, value);
    }
    return this.#pages<LineItem>(url.toString(), MEDIA.lineItems, [SCOPES.lineItemReadOnly]);
  }

  async createLineItem(lineItemsUrl: string, item: LineItem): Promise<LineItem> {
    return (await this.#call('POST', lineItemsUrl, [SCOPES.lineItem], { accept: MEDIA.lineItem, contentType: MEDIA.lineItem, body: item }, [200, 201])).json as LineItem;
  }

  async getLineItem(lineItemUrl: string): Promise<LineItem> {
    return (await this.#call('GET', lineItemUrl, [SCOPES.lineItemReadOnly], { accept: MEDIA.lineItem }, [200])).json as LineItem;
  }

  async updateLineItem(lineItemUrl: string, item: LineItem): Promise<LineItem> {
    return (await this.#call('PUT', lineItemUrl, [SCOPES.lineItem], { accept: MEDIA.lineItem, contentType: MEDIA.lineItem, body: item }, [200])).json as LineItem;
  }

  async deleteLineItem(lineItemUrl: string): Promise<void> {
    await this.#call('DELETE', lineItemUrl, [SCOPES.lineItem], {}, [200, 204]);
  }

  /** §3.4: POST to `<lineitem>/scores` (path appended before any query, as the spec requires). */
  async postScore(lineItemUrl: string, score: Score): Promise<void> {
    await this.#call('POST', serviceUrl(lineItemUrl, 'scores'), [SCOPES.score], { contentType: MEDIA.score, body: score }, [200, 201, 202, 204]);
  }

  /** §3.3: every result of the line item (all pages), or one user's. */
  async results(lineItemUrl: string, userId?: string): Promise<Result[]> {
    const url = new URL(serviceUrl(lineItemUrl, 'results'));
    if (userId !== undefined) url.searchParams.set('user_id', userId);
    return this.#pages<Result>(url.toString(), MEDIA.results, [SCOPES.resultReadOnly]);
  }

  async #pages<T>(firstUrl: string, accept: string, scopes: readonly string[]): Promise<T[]> {
    const items: T[] = [];
    const seen = new Set<string>();
    let next: string | undefined = firstUrl;
    for (let page = 0; next && page < (this.deps.maxPages ?? 100) && !seen.has(next); page += 1) {
      seen.add(next);
      const answer = await this.#call('GET', next, scopes, { accept }, [200]);
      if (!Array.isArray(answer.json)) throw new PlatformHttpError('LTI_HTTP_INVALID_ANSWER', `${next} did not answer with a JSON array.`);
      items.push(...(answer.json as T[]));
      next = linkWithRel(answer.headers.get('link'), 'next');
    }
    return items;
  }

  #call(method: string, url: string, scopes: readonly string[], options: { accept?: string; contentType?: string; body?: unknown }, ok: readonly number[]): Promise<HttpAnswer> {
    return authorizedCall(this.platform, this.deps, method, url, scopes, options, ok);
  }
}

/** One service request with a cached token; a 401 drops the token and retries once with a fresh one. */
export async function authorizedCall(
  platform: PlatformRecord,
  deps: ServiceCallDeps,
  method: string,
  url: string,
  scopes: readonly string[],
  options: { accept?: string; contentType?: string; body?: unknown },
  ok: readonly number[],
): Promise<HttpAnswer> {
  for (let attempt = 0; ; attempt += 1) {
    const token = await deps.tokens.token(platform, scopes);
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (options.accept) headers.accept = options.accept;
    if (options.contentType) headers['content-type'] = options.contentType;
    const answer = await requestPlatform(url, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) }, deps.http);
    if (answer.status === 401 && attempt === 0) {
      await deps.tokens.forget(platform, scopes);
      continue;
    }
    if (!ok.includes(answer.status)) throw statusError(url, answer, `${method} refused by ${platform.name}`);
    return answer;
  }
}

function serviceUrl(lineItemUrl: string, suffix: 'scores' | 'results'): string {
  const url = new URL(lineItemUrl);
  url.pathname = `${url.pathname.replace(/\/$/, '')}/${suffix}`;
  return url.toString();
}
