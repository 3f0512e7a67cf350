/**
 * The verify options `microcred verify` builds from its flags: `--documents <dir>` (map.json,
 * shared/net/documents-dir.ts), `--offline` (nothing fetched; network-only checks say "not
 * checked"), `--trust <list.json|url>` (repeatable; shared/trust) and `--recipient <email|name>`.
 */
import { readFile, stat } from 'node:fs/promises';
import { createDocumentSource, type DocumentSource } from '../../../shared/net/document-source.ts';
import { createMappedDocumentSource } from '../../../shared/net/documents-dir.ts';
import { parseTrustList, type TrustList } from '../../../shared/trust/trust-list.ts';
import type { VerifyOptions } from '../../../shared/verify/types.ts';
import { openDocumentsFolder } from './documents-folder.ts';
import type { CliIo } from './io.ts';

export interface VerifyFlags {
  readonly documents?: string | undefined;
  readonly offline?: boolean | undefined;
  readonly trust?: readonly string[] | undefined;
  readonly recipient?: string | undefined;
}

const MAX_TRUST_LIST_BYTES = 5 * 1024 * 1024;

export type BuiltVerifyOptions = { ok: true; options: Omit<VerifyOptions, 'maxInputBytes'> } | { ok: false; message: string };

export async function buildVerifyOptions(flags: VerifyFlags, io: CliIo): Promise<BuiltVerifyOptions> {
  const network: DocumentSource | undefined = flags.offline ? undefined : createDocumentSource({ fetch: io.fetch, timeoutMs: 10_000 });
  let documents: DocumentSource;
  let contextSource: DocumentSource | undefined;
  if (flags.documents) {
    const folder = await openDocumentsFolder(flags.documents, network);
    if (!folder.ok) return { ok: false, message: folder.message };
    documents = folder.documents;
    contextSource = folder.documents.local;
  } else {
    documents = network ?? createMappedDocumentSource({ map: new Map(), readFile: async () => undefined });
  }
  const trustLists: (TrustList | string)[] = [];
  for (const source of flags.trust ?? []) {
    if (/^https?:\/\//i.test(source)) {
      trustLists.push(source);
      continue;
    }
    const loaded = await readTrustListFile(source);
    if (!loaded.ok) return loaded;
    trustLists.push(loaded.list);
  }
  return {
    ok: true,
    options: {
      documents,
      ...(contextSource ? { contextSource } : {}),
      ...(flags.offline ? { offline: true } : {}),
      ...(trustLists.length > 0 ? { trustLists } : {}),
      ...(flags.recipient ? { recipient: flags.recipient } : {}),
    },
  };
}

async function readTrustListFile(path: string): Promise<{ ok: true; list: TrustList } | { ok: false; message: string }> {
  try {
    if ((await stat(path)).size > MAX_TRUST_LIST_BYTES) return { ok: false, message: `The trust list ${path} is larger than ${MAX_TRUST_LIST_BYTES} bytes.` };
    const parsed = parseTrustList(JSON.parse(await readFile(path, 'utf8')), path);
    return parsed.ok ? parsed : { ok: false, message: parsed.message };
  } catch (error) {
    return { ok: false, message: `Cannot read the trust list ${path}: ${(error as Error).message}` };
  }
}
