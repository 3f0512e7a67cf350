/**
 * The DocumentSource the tool verifies its own credentials with: its did:web document, JWKS and
 * status lists are answered from the database (no HTTP round trip to itself, which behind a proxy
 * or during start-up might not even be reachable); everything else goes through the normal
 * bounded, cached fetch.
 */
import { didWebToDocumentUrl } from '../../../shared/crypto/did-web.ts';
import type { DocumentSource } from '../../../shared/net/document-source.ts';
import type { FetchOutcome } from '../../../shared/net/fetch-document.ts';
import type { StatusListRepository } from '../store/status-list-repository.ts';
import type { Issuer } from './issuer.ts';
import { publishedStatusList } from './status-list-publisher.ts';

export function localDocumentSource(args: { publicUrl: string; issuer: Issuer; statusLists: StatusListRepository; fallback: DocumentSource }): DocumentSource {
  const didUrl = didWebToDocumentUrl(args.issuer.id);
  const statusPrefix = `${args.publicUrl}/status/`;

  async function local(url: string): Promise<FetchOutcome<string> | undefined> {
    if (url === didUrl) return found(JSON.stringify(await args.issuer.didDocument()), 'application/did+json');
    if (url === `${args.publicUrl}/.well-known/jwks.json`) return found(JSON.stringify(await args.issuer.jwks()), 'application/jwk-set+json');
    if (url.startsWith(statusPrefix)) {
      const [purpose, listId, ...rest] = url.slice(statusPrefix.length).split('/');
      const list = purpose && listId && rest.length === 0 ? await publishedStatusList({ statusLists: args.statusLists, issuer: args.issuer, publicUrl: args.publicUrl }, purpose, listId) : undefined;
      return list ? found(list.jwt, 'application/vc+jwt') : { ok: false, code: 'fetch.http-status', message: `${url} answered HTTP 404.` };
    }
    return undefined;
  }

  return {
    async getText(url, accept) {
      return (await local(url)) ?? args.fallback.getText(url, accept);
    },
    async getJson(url) {
      const text = await local(url);
      if (!text) return args.fallback.getJson(url);
      if (!text.ok) return text;
      try {
        return { ok: true, value: JSON.parse(text.value) as unknown, contentType: text.contentType };
      } catch {
        return { ok: false, code: 'fetch.not-json', message: `${url} did not answer with JSON.` };
      }
    },
  };
}

function found(value: string, contentType: string): FetchOutcome<string> {
  return { ok: true, value, contentType };
}
