/**
 * A DocumentSource over documents the caller already holds (URL → text): for archival and offline
 * verification, for tests, and for benchmarks that must not measure the network.
 */
import type { FetchOutcome } from './fetch-document.ts';
import type { DocumentSource } from './document-source.ts';

export class StaticDocuments implements DocumentSource {
  readonly documents = new Map<string, string>();

  set(url: string, document: string | object): this {
    this.documents.set(url, typeof document === 'string' ? document : JSON.stringify(document));
    return this;
  }

  async getText(url: string): Promise<FetchOutcome<string>> {
    const value = this.documents.get(url);
    return value === undefined ? { ok: false, code: 'fetch.http-status', message: `${url} is not among the documents given.` } : { ok: true, value, contentType: '' };
  }

  async getJson(url: string): Promise<FetchOutcome<unknown>> {
    const text = await this.getText(url);
    if (!text.ok) return text;
    try {
      return { ok: true, value: JSON.parse(text.value) as unknown, contentType: '' };
    } catch {
      return { ok: false, code: 'fetch.not-json', message: `${url} is not JSON.` };
    }
  }
}
