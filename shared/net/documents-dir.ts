/**
 * Offline and archival verification: a documents folder whose `map.json` maps URLs and DIDs to
 * file names (DID documents, JWKS, issuer profiles, status list credentials, JSON-LD contexts).
 * This module is the pure part: parsing the map and layering it over the network as a
 * DocumentSource — the map first, then the network, or the map only when offline. Reading the
 * files is injected (the CLI reads them from disk; a browser could read an uploaded folder).
 */
import { didWebToDocumentUrl } from '../crypto/did-web.ts';
import type { DocumentSource } from './document-source.ts';
import type { FetchOutcome } from './fetch-document.ts';

/** Reads one file named in the map, relative to the folder; undefined when it cannot be read. */
export type ReadMappedFile = (fileName: string) => Promise<string | undefined>;

export type DocumentMapOutcome = { readonly ok: true; readonly map: ReadonlyMap<string, string> } | { readonly ok: false; readonly code: 'documents.bad-map'; readonly message: string };

const MAX_ENTRIES = 10_000;
const SAFE_FILE_NAME = /^(?!\/)(?!.*(^|\/)\.\.?(\/|$))[^\\\0:]+$/;

/** map.json: an object whose keys are URLs or DIDs and whose values are relative file names (no "..", no absolute paths). */
export function parseDocumentMap(json: unknown): DocumentMapOutcome {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return bad('map.json must be a JSON object of "URL or DID": "file name" pairs.');
  const entries = Object.entries(json);
  if (entries.length > MAX_ENTRIES) return bad(`map.json has more than ${MAX_ENTRIES} entries.`);
  const map = new Map<string, string>();
  for (const [key, file] of entries) {
    if (typeof file !== 'string' || !SAFE_FILE_NAME.test(file)) return bad(`map.json maps ${key} to ${JSON.stringify(file)}, which is not a file name inside the folder.`);
    if (!URL.canParse(key)) return bad(`map.json has the key ${JSON.stringify(key)}, which is neither a URL nor a DID.`);
    map.set(key, file);
    // A did:web is fetched at its document URL; let either spelling find the file.
    if (key.startsWith('did:web:')) {
      try {
        map.set(didWebToDocumentUrl(key), file);
      } catch {
        return bad(`map.json has the key ${key}, which is not a valid did:web.`);
      }
    }
  }
  return { ok: true, map };
}

export interface MappedDocumentSource extends DocumentSource {
  /** The map alone, never the network: for JSON-LD contexts (VerifyOptions.contextSource). */
  readonly local: DocumentSource;
  /** True when nothing beyond the map is fetched. */
  readonly offline: boolean;
}

/** Map first; then `network` when given, else a "not in the folder, not fetched offline" failure. */
export function createMappedDocumentSource(args: { map: ReadonlyMap<string, string>; readFile: ReadMappedFile; network?: DocumentSource }): MappedDocumentSource {
  const { map, readFile, network } = args;

  async function fromMap(url: string): Promise<FetchOutcome<string> | undefined> {
    const file = map.get(url) ?? map.get(url.split('#')[0] ?? url);
    if (file === undefined) return undefined;
    const text = await readFile(file);
    if (text === undefined) return { ok: false, code: 'fetch.network', message: `The documents folder maps ${url} to ${file}, which cannot be read.` };
    return { ok: true, value: text, contentType: '' };
  }

  const local: DocumentSource = {
    async getText(url) {
      return (await fromMap(url)) ?? { ok: false, code: 'fetch.network', message: `${url} is not in the documents folder, and nothing is fetched offline.` };
    },
    async getJson(url) {
      return parseJson(url, await local.getText(url, 'application/json'));
    },
  };

  return {
    local,
    offline: network === undefined,
    async getText(url, accept) {
      return (await fromMap(url)) ?? (network ? network.getText(url, accept) : local.getText(url, accept));
    },
    async getJson(url) {
      const mapped = await fromMap(url);
      if (mapped) return parseJson(url, mapped);
      return network ? network.getJson(url) : local.getJson(url);
    },
  };
}

function parseJson(url: string, text: FetchOutcome<string>): FetchOutcome<unknown> {
  if (!text.ok) return text;
  try {
    return { ok: true, value: JSON.parse(text.value) as unknown, contentType: text.contentType };
  } catch {
    return { ok: false, code: 'fetch.not-json', message: `The document for ${url} in the documents folder is not JSON.` };
  }
}

function bad(message: string): DocumentMapOutcome {
  return { ok: false, code: 'documents.bad-map', message };
}
