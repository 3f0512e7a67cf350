/**
 * Which URLs a page may make the worker fetch. Pages are hostile: a public page must not use the
 * extension to send requests to services on the user's own machine (http://localhost:…, which
 * shared/net otherwise allows for development), so loopback URLs are only followed from pages that
 * are themselves on loopback. Everything else is already limited by shared/net (https, or http on
 * loopback; no cookies; timeouts; byte caps).
 */
import { isLoopbackHost } from '../../../shared/net/fetch-document.ts';
import type { CandidateSource } from '../protocol.ts';

export function sourceAllowedFrom(pageUrl: string | undefined, source: CandidateSource): boolean {
  if (source.kind === 'inline') return true;
  let target: URL;
  try {
    target = new URL(source.url);
  } catch {
    return false;
  }
  if (!isLoopbackHost(target.hostname)) return true;
  try {
    return pageUrl !== undefined && isLoopbackHost(new URL(pageUrl).hostname);
  } catch {
    return false;
  }
}
